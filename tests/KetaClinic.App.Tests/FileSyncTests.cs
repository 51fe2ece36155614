using KetaClinic.App.Data;

namespace KetaClinic.App.Tests;

/// <summary>The log sync's flush: a file's written data reaches the disk, and a flush that fails says so.</summary>
public sealed class FileSyncTests
{
    [Fact]
    public void A_written_file_is_synced_and_keeps_what_was_written()
    {
        var path = Path.Combine(Path.GetTempPath(), "filesync-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                RandomAccess.Write(file, "frame 1"u8, 0);
                FileSync.DataToDisk(file);
                // Overwritten in place, as a restarted write-ahead log is.
                RandomAccess.Write(file, "FRAME"u8, 0);
                FileSync.DataToDisk(file);
            }
            Assert.Equal("FRAME 1", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_cannot_be_synced_gives_an_IO_error_with_the_reason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere the flush is the runtime's own
        }
        // A character device cannot be synchronised (EINVAL).
        using var device = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        var error = Assert.Throws<IOException>(() => FileSync.DataToDisk(device));
        Assert.Contains("fdatasync failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(22, error.HResult);
    }

    [Fact]
    public void A_closed_file_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), "filesync-" + Guid.NewGuid().ToString("N"));
        try
        {
            var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
            file.Dispose();
            Assert.Throws<ObjectDisposedException>(() => FileSync.DataToDisk(file));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
