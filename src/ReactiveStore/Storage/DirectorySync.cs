using System.Runtime.InteropServices;
using System.Text;

namespace ReactiveStore.Storage;

/// <summary>Flushes a folder's entries (new names, renames, removals) to the disk where the OS allows it.</summary>
/// <remarks>On Linux and macOS a rename is durable only once its folder is fsynced; .NET cannot open a folder as a
/// stream, so this calls libc's <c>open</c>/<c>fsync</c>/<c>close</c>. On Windows there is no equivalent (NTFS journals
/// the rename) and this does nothing; if libc cannot be loaded it stops trying.</remarks>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private static volatile bool s_unavailable = OperatingSystem.IsWindows();

    /// <summary>Fsyncs the folder; best effort.</summary>
    /// <returns>Whether the folder was synced (always <see langword="false"/> on Windows).</returns>
    public static bool Flush(string directory)
    {
        if (s_unavailable)
        {
            return false;
        }

        try
        {
            byte[] path = Encoding.UTF8.GetBytes(directory + "\0");
            int fd = Open(path, ReadOnly);
            if (fd < 0)
            {
                return false;
            }

            int result = Fsync(fd);
            _ = Close(fd);
            return result == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "open")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
