using VaeGpu.Runtime;
using System.Runtime.InteropServices;

namespace VaeGpu.Host.Files;

/// <summary>
/// What a path names, without following a final symbolic link: .NET tells files from folders but not a device, a
/// FIFO or a socket from a regular file, so on Linux this asks statx(2), whose struct has one layout on every
/// architecture. Elsewhere a path that exists and is no folder counts as a regular file.
/// </summary>
public static class FileKind
{
    public const string Missing = "nothing", Regular = "a regular file", Folder = "a folder";

    /// <param name="followLinks">Whether a final symbolic link is followed (for a file to read), or named (for one to replace).</param>
    public static string Of(string path, bool followLinks = false)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Statx(AtCurrentFolder, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0) return Missing;
            int mode = BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000;
            return mode switch
            {
                0x8000 => Regular,
                0x4000 => Folder,
                0xA000 => "a symbolic link",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0x1000 => "a FIFO",
                0xC000 => "a socket",
                _ => "not a regular file",
            };
        }
        return Directory.Exists(path) ? Folder : File.Exists(path) ? Regular : Missing;
    }

    /// <summary>
    /// Whether two paths name one file (links followed): the same device and inode on Linux, the same full path
    /// elsewhere. False where either is missing.
    /// </summary>
    public static bool SameFile(string first, string second)
    {
        if (!OperatingSystem.IsLinux()) return File.Exists(first) && Path.GetFullPath(first) == Path.GetFullPath(second);
        return Identity(first) is { } one && Identity(second) is { } other && one == other;
    }

    static (uint Major, uint Minor, ulong Inode)? Identity(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtCurrentFolder, path, 0, StatxIno, buffer) != 0) return null;
        return (BitConverter.ToUInt32(buffer, DeviceMajorOffset), BitConverter.ToUInt32(buffer, DeviceMajorOffset + 4), BitConverter.ToUInt64(buffer, InodeOffset));
    }

    const int AtCurrentFolder = -100, AtSymlinkNoFollow = 0x100;
    const uint StatxType = 0x1, StatxIno = 0x100;
    /// <summary>stx_ino follows stx_mode and its padding; stx_dev_major and stx_dev_minor follow the four timestamps and stx_rdev.</summary>
    const int InodeOffset = 32, DeviceMajorOffset = 136;
    /// <summary>stx_mode in struct statx: after stx_mask, stx_blksize (u32 each), stx_attributes (u64), stx_nlink, stx_uid, stx_gid (u32 each).</summary>
    const int ModeOffset = 28;

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code in the project.
    [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int Statx(int folder, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>Refuses a path that names something other than nothing or a regular file.</summary>
    public static void RefuseNonRegular(string what, string path)
    {
        string kind = Of(path);
        if (kind != Missing && kind != Regular)
            throw new UserErrorException($"{what} {path} is {kind}, not a regular file: give another path (nothing but a regular file is ever replaced).");
    }
}
