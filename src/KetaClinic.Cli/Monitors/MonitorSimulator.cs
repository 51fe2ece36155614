using System.Globalization;
using System.Net.Sockets;
using System.Text;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Cli.Monitors;

/// <summary>How to run a simulation.</summary>
/// <param name="RatePerSecond">Messages per second over all monitors; 0 sends as fast as ACKs come back.</param>
/// <param name="Duration">Stop sending new messages after this long (null: no limit).</param>
/// <param name="MaxMessages">Stop after this many messages in total (null: no limit).</param>
/// <param name="FirstMonitorNumber">Monitor i sends as equipment <c>{DevicePrefix}{FirstMonitorNumber + i}</c>.</param>
public sealed record SimulationOptions(
    string Host,
    int Port,
    int Monitors,
    double RatePerSecond,
    TimeSpan? Duration,
    int? MaxMessages,
    string DevicePrefix = "DEMO-MON-",
    VitalsScenario Scenario = VitalsScenario.Normal,
    TimeSpan? AckTimeout = null,
    int MaxAttempts = 10,
    int FirstMonitorNumber = 1,
    int Seed = 1);

/// <summary>What a simulation sent and got back. Latencies are from the frame's first byte out to the whole ACK in.</summary>
public sealed record SimulationSummary(
    int Monitors,
    long Sent,
    long Aa,
    long Ae,
    long Ar,
    long Other,
    long Resends,
    long Failed,
    double ElapsedSeconds,
    double MessagesPerSecond,
    double AckLatencyP50Ms,
    double AckLatencyP99Ms,
    double AckLatencyMaxMs);

/// <summary>
/// Simulated bedside monitors: one MLLP connection each, one message in flight per connection (as monitors do),
/// paced so that all monitors together send <see cref="SimulationOptions.RatePerSecond"/>. A message whose ACK
/// does not come within the timeout, or whose connection drops, is sent again with the same control id on a new
/// connection, as a real monitor does.
/// </summary>
public sealed class MonitorSimulator(SimulationOptions options, TimeProvider clock)
{
    private readonly string _runId = Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture);
    private long _aa;
    private long _ae;
    private long _ar;
    private long _other;
    private long _resends;
    private long _failed;

    /// <summary>Runs until the duration or message count is reached or <paramref name="ct"/> is cancelled; in-flight messages are finished.</summary>
    public async Task<SimulationSummary> RunAsync(CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Monitors, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }
        var started = clock.GetTimestamp();
        var latencies = await Task.WhenAll(Enumerable.Range(0, options.Monitors).Select(i => RunMonitorAsync(i, started, stop.Token)));
        var elapsed = clock.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var sent = _aa + _ae + _ar + _other + _failed;
        return new SimulationSummary(
            options.Monitors, sent, _aa, _ae, _ar, _other, _resends, _failed,
            Math.Round(elapsed, 3),
            Math.Round(elapsed > 0 ? (_aa + _ae + _ar + _other) / elapsed : 0, 1),
            Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? 0 : Math.Round(all[^1], 3));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 3);

    private async Task<List<double>> RunMonitorAsync(int index, long started, CancellationToken stop)
    {
        var latencies = new List<double>();
        var equipment = options.DevicePrefix + (options.FirstMonitorNumber + index).ToString(CultureInfo.InvariantCulture);
        var vitals = new SimulatedVitals(options.Scenario, options.Seed * 7919 + index);
        var connection = new MonitorConnection(options, clock);
        try
        {
            // Monitor i's k-th message is due at (k * monitors + i) / rate seconds after the start.
            for (long k = 0; !stop.IsCancellationRequested; k++)
            {
                // The count is shared out evenly: message k of monitor i is number k * monitors + i.
                if (options.MaxMessages is { } max && (k * options.Monitors) + index >= max)
                {
                    break;
                }
                if (options.RatePerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds(((k * options.Monitors) + index) / options.RatePerSecond);
                    var wait = due - clock.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, clock, stop);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                }
                var controlId = string.Create(CultureInfo.InvariantCulture, $"{_runId}{index:D3}{k:D8}");
                var frame = Mllp.FrameMessage(OruMessageBuilder.Build(controlId, equipment, vitals.Next(), clock.GetUtcNow()));
                await SendUntilAcknowledgedAsync(connection, frame, controlId, latencies);
            }
        }
        finally
        {
            connection.Dispose();
        }
        return latencies;
    }

    private async Task SendUntilAcknowledgedAsync(MonitorConnection connection, byte[] frame, string controlId, List<double> latencies)
    {
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Interlocked.Increment(ref _resends);
            }
            var (ack, latencyMs) = await connection.TrySendAsync(frame, controlId);
            if (ack is null)
            {
                // No ACK in time or the connection dropped: start over on a new connection, as a monitor does.
                connection.Reset();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), clock, CancellationToken.None);
                continue;
            }
            latencies.Add(latencyMs);
            _ = ack switch
            {
                "AA" or "CA" => Interlocked.Increment(ref _aa),
                "AE" or "CE" => Interlocked.Increment(ref _ae),
                "AR" or "CR" => Interlocked.Increment(ref _ar),
                _ => Interlocked.Increment(ref _other),
            };
            return;
        }
        Interlocked.Increment(ref _failed);
    }

    /// <summary>One monitor's TCP connection, opened on first use and after every failure.</summary>
    private sealed class MonitorConnection(SimulationOptions options, TimeProvider clock) : IDisposable
    {
        private readonly byte[] _buffer = new byte[4096];
        private TcpClient? _client;
        private MllpFrameDecoder _decoder = new();

        /// <summary>Sends the frame; MSA-1 of the ACK for this control id and the time from write to ACK, or null on timeout or a lost connection.</summary>
        public async Task<(string? Code, double LatencyMs)> TrySendAsync(byte[] frame, string controlId)
        {
            using var timeout = new CancellationTokenSource(options.AckTimeout ?? TimeSpan.FromSeconds(10), clock);
            try
            {
                if (_client is null)
                {
                    var client = new TcpClient { NoDelay = true };
                    _client = client;
                    _decoder = new MllpFrameDecoder();
                    await client.ConnectAsync(options.Host, options.Port, timeout.Token);
                }
                var stream = _client.GetStream();
                var sentAt = clock.GetTimestamp();
                await stream.WriteAsync(frame, timeout.Token);
                while (true)
                {
                    var read = await stream.ReadAsync(_buffer, timeout.Token);
                    if (read == 0)
                    {
                        return (null, 0);
                    }
                    foreach (var e in _decoder.Feed(_buffer.AsSpan(0, read)))
                    {
                        if (e is MllpFrame ack)
                        {
                            var (code, acknowledged) = OruMessageBuilder.ReadAck(Encoding.UTF8.GetString(ack.Payload.Span));
                            // An ACK for another message (a late answer to an earlier try) is not this one's.
                            if (acknowledged == controlId)
                            {
                                return (code ?? "", clock.GetElapsedTime(sentAt).TotalMilliseconds);
                            }
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return (null, 0);
            }
        }

        public void Reset()
        {
            _client?.Dispose();
            _client = null;
        }

        public void Dispose() => Reset();
    }
}
