using VaeGpu.Runtime;

namespace VaeGpu.Tests.Data;

public static class UserErrorAssert
{
    /// <summary>
    /// action throws a UserErrorException whose message is one line and contains every fragment (the file it is
    /// about and what is wrong with it, ignoring case); returns the message.
    /// </summary>
    public static string Throws(TestDelegate action, params string[] fragments)
    {
        var error = Assert.Throws<UserErrorException>(action)!;
        Assert.That(error.Message, Does.Not.Contain('\n').And.Not.Contain('\r'), "one line");
        foreach (string fragment in fragments) Assert.That(error.Message, Does.Contain(fragment).IgnoreCase);
        return error.Message;
    }
}
