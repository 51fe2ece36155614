using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KetaClinic.App.Data;

/// <summary>Flushes a file to disk the way a database flushes its write-ahead log.</summary>
internal static class FileSync
{
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// On Linux, fdatasync: the file's data and what is needed to read it back (its size), not its times. Unlike fsync
    /// it then needs no journal commit of the file system when the file was only overwritten, so it does not wait for
    /// other files' changes in that commit: SQLite's log sync no longer waited for a checkpoint's writes to the
    /// database file (stalls of 100–500 ms in the HL7 bench). PostgreSQL syncs its own log this way by default on
    /// Linux. Elsewhere, a full flush (<see cref="RandomAccess.FlushToDisk"/>).
    /// </summary>
    /// <exception cref="IOException">The file could not be synced (the error number is in the message).</exception>
    public static void DataToDisk(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }
        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            while (fdatasync((int)file.DangerousGetHandle()) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != Interrupted)
                {
                    throw new IOException($"fdatasync failed with error {error} ({Marshal.GetPInvokeErrorMessage(error)}).", error);
                }
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);
}
