using System.Net;
using System.Net.Sockets;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.App.Hl7;

/// <summary>
/// The MLLP listener: accepts monitor connections, frames the byte stream, hands each frame to
/// <see cref="VitalsIntake"/> and writes the ACK back on the same connection, in order. Transport only:
/// what a message means is decided by the intake. Idle, half-open and overlong connections are closed; a
/// broken connection never affects the others.
/// </summary>
public sealed partial class MllpServer(Hl7Settings settings, VitalsIntake intake, TimeProvider clock, ILogger<MllpServer> logger) : BackgroundService
{
    private readonly TaskCompletionSource<int> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;

    /// <summary>The port actually listened on (useful when the setting is 0).</summary>
    public Task<int> BoundPort => _bound.Task;

    public int OpenConnections => Volatile.Read(ref _open);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            _bound.TrySetResult(0);
            return;
        }
        var address = settings.BindAddress.Equals("any", StringComparison.OrdinalIgnoreCase) ? IPAddress.Any : IPAddress.Parse(settings.BindAddress);
        var listener = new TcpListener(address, settings.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            _bound.TrySetException(ex);
            LogCannotListen(logger, settings.Port, ex.Message);
            return;
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _bound.TrySetResult(port);
        LogListening(logger, port);
        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                if (Interlocked.Increment(ref _open) > settings.MaxConnections)
                {
                    Interlocked.Decrement(ref _open);
                    LogTooMany(logger, client.Client.RemoteEndPoint?.ToString(), settings.MaxConnections);
                    client.Dispose();
                    continue;
                }
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(connections);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        var remote = (client.Client.RemoteEndPoint as IPEndPoint)?.Address.ToString();
        try
        {
            using (client)
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var decoder = new MllpFrameDecoder(settings.MaxFrameBytes);
                var buffer = new byte[8192];
                var frameStartedAt = (DateTimeOffset?)null;
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Idle: nothing at all for a while. Half-open frame: a frame begun but not finished in time.
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var limit = frameStartedAt is null
                        ? TimeSpan.FromSeconds(settings.IdleTimeoutSeconds)
                        : TimeSpan.FromSeconds(settings.FrameTimeoutSeconds) - (clock.GetUtcNow() - frameStartedAt.Value);
                    timeout.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(buffer, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogTimedOut(logger, remote, frameStartedAt is null ? "idle" : "unfinished frame");
                        return;
                    }
                    if (read == 0)
                    {
                        return; // the monitor closed the connection
                    }
                    foreach (var e in decoder.Feed(buffer.AsSpan(0, read)))
                    {
                        switch (e)
                        {
                            case MllpFrame frame:
                                var ack = await intake.HandleFrameAsync(frame.Payload, remote, stoppingToken);
                                await stream.WriteAsync(Mllp.FrameMessage(ack), stoppingToken);
                                break;
                            case MllpFrameError error:
                                await stream.WriteAsync(Mllp.FrameMessage(intake.RejectFrame(error, settings.MaxFrameBytes)), stoppingToken);
                                break;
                            case MllpGarbage garbage:
                                LogGarbage(logger, remote, garbage.ByteCount);
                                break;
                        }
                    }
                    frameStartedAt = decoder.IsInsideFrame ? frameStartedAt ?? clock.GetUtcNow() : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            LogConnectionLost(logger, remote, ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HL7 MLLP listener on port {Port}")]
    private static partial void LogListening(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "HL7 MLLP listener cannot listen on port {Port}: {Reason}")]
    private static partial void LogCannotListen(ILogger logger, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HL7 connection from {Remote} refused: already {Max} monitors connected")]
    private static partial void LogTooMany(ILogger logger, string? remote, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "HL7 connection from {Remote} closed: {Why}")]
    private static partial void LogTimedOut(ILogger logger, string? remote, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HL7 connection from {Remote}: {Bytes} bytes outside any frame ignored")]
    private static partial void LogGarbage(ILogger logger, string? remote, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "HL7 connection from {Remote} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string? remote, string reason);
}
