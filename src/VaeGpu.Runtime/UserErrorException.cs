namespace VaeGpu.Runtime;

/// <summary>
/// A problem the user can fix (a bad option, an absent device, a missing file). The command-line program prints its
/// message as one line and exits non-zero, without a stack trace; every other exception is a bug.
/// </summary>
public sealed class UserErrorException(string message) : Exception(message);
