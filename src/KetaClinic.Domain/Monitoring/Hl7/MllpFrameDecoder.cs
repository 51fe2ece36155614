using System.Globalization;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>Something the decoder found in the byte stream.</summary>
public abstract record MllpEvent;

/// <summary>A complete frame; <see cref="Payload"/> excludes the block characters.</summary>
public sealed record MllpFrame(ReadOnlyMemory<byte> Payload) : MllpEvent;

/// <summary>
/// Bytes outside any frame (before a start block). Reported when the next start block arrives, at the end of
/// the stream, or whenever the run reaches the maximum frame size. <see cref="Sample"/> holds up to its first 64 bytes.
/// </summary>
public sealed record MllpGarbage(long ByteCount, ReadOnlyMemory<byte> Sample) : MllpEvent;

/// <summary>Why a frame was thrown away.</summary>
public enum MllpFrameErrorKind
{
    /// <summary>The payload grew past the maximum frame size; the rest was skipped up to its end block or the next start block.</summary>
    TooLarge,

    /// <summary>A start block or the end of the stream came before the end block.</summary>
    Unterminated,

    /// <summary>0x1C was not followed by 0x0D.</summary>
    MalformedEndBlock,
}

/// <summary>
/// A frame that could not be delivered. <see cref="PayloadBytes"/> counts the payload bytes received for it;
/// <see cref="Head"/> holds up to its first 1,024 bytes, enough to read MSH for a best-effort reject ACK.
/// </summary>
public sealed record MllpFrameError(MllpFrameErrorKind Kind, long PayloadBytes, ReadOnlyMemory<byte> Head) : MllpEvent
{
    public override string ToString() => Kind switch
    {
        MllpFrameErrorKind.TooLarge => string.Create(CultureInfo.InvariantCulture, $"MLLP frame of {PayloadBytes} bytes exceeds the maximum frame size."),
        MllpFrameErrorKind.Unterminated => string.Create(CultureInfo.InvariantCulture, $"MLLP frame of {PayloadBytes} bytes ended without an end block."),
        _ => string.Create(CultureInfo.InvariantCulture, $"MLLP frame of {PayloadBytes} bytes had an end block 0x1C not followed by 0x0D."),
    };
}

/// <summary>
/// Incremental MLLP decoder for one connection: feed bytes as they arrive, in chunks of any size, and get
/// frames out. The events are the same however the stream is chunked. Nothing here throws on any input;
/// memory stays bounded by the maximum frame size. Not thread-safe: one instance per connection.
/// </summary>
public sealed class MllpFrameDecoder
{
    private const int GarbageSampleBytes = 64;
    private const int HeadBytes = 1024;

    private readonly int _maxFrameBytes;
    private byte[] _buffer = new byte[4096];
    private int _length;
    private long _discarded;
    private State _state = State.Outside;
    private long _garbageCount;
    private readonly byte[] _garbageSample = new byte[GarbageSampleBytes];

    public MllpFrameDecoder(int maxFrameBytes = Mllp.DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        _maxFrameBytes = maxFrameBytes;
    }

    private enum State
    {
        Outside,
        InFrame,
        InFrameAfterEndBlock,
        Discarding,
        DiscardingAfterEndBlock,
    }

    public int MaxFrameBytes => _maxFrameBytes;

    /// <summary>Whether a start block has been seen and its frame has not ended yet (a half-open frame).</summary>
    public bool IsInsideFrame => _state != State.Outside;

    /// <summary>Consumes the next bytes of the stream; returns the events they completed, often none.</summary>
    public IReadOnlyList<MllpEvent> Feed(ReadOnlySpan<byte> chunk)
    {
        var events = new List<MllpEvent>();
        var i = 0;
        while (i < chunk.Length)
        {
            var rest = chunk[i..];
            switch (_state)
            {
                case State.Outside:
                {
                    var start = rest.IndexOf(Mllp.StartBlock);
                    var garbage = start < 0 ? rest : rest[..start];
                    AddGarbage(garbage, events);
                    i += garbage.Length;
                    if (start >= 0)
                    {
                        FlushGarbage(events);
                        BeginFrame();
                        i++;
                    }

                    break;
                }

                case State.InFrame:
                {
                    var stop = rest.IndexOfAny(Mllp.StartBlock, Mllp.EndBlock);
                    var data = stop < 0 ? rest : rest[..stop];
                    Append(data);
                    i += data.Length;
                    if (_state == State.Discarding)
                    {
                        // Too large: the Discarding state takes the block character from here.
                        break;
                    }

                    if (stop >= 0)
                    {
                        i++;
                        if (rest[stop] == Mllp.StartBlock)
                        {
                            events.Add(FrameError(MllpFrameErrorKind.Unterminated, _length));
                            BeginFrame();
                        }
                        else
                        {
                            _state = State.InFrameAfterEndBlock;
                        }
                    }

                    break;
                }

                case State.InFrameAfterEndBlock:
                    if (rest[0] == Mllp.CarriageReturn)
                    {
                        events.Add(new MllpFrame(_buffer.AsSpan(0, _length).ToArray()));
                        _state = State.Outside;
                        i++;
                    }
                    else
                    {
                        // Leave the byte for the Outside state: it may be a start block.
                        events.Add(FrameError(MllpFrameErrorKind.MalformedEndBlock, _length));
                        _state = State.Outside;
                    }

                    break;

                case State.Discarding:
                {
                    var stop = rest.IndexOfAny(Mllp.StartBlock, Mllp.EndBlock);
                    var skipped = stop < 0 ? rest.Length : stop;
                    AppendHead(rest[..skipped]);
                    _discarded += skipped;
                    i += skipped;
                    if (stop >= 0)
                    {
                        i++;
                        if (rest[stop] == Mllp.StartBlock)
                        {
                            events.Add(FrameError(MllpFrameErrorKind.TooLarge, _discarded));
                            BeginFrame();
                        }
                        else
                        {
                            _state = State.DiscardingAfterEndBlock;
                        }
                    }

                    break;
                }

                case State.DiscardingAfterEndBlock:
                    if (rest[0] == Mllp.CarriageReturn)
                    {
                        events.Add(FrameError(MllpFrameErrorKind.TooLarge, _discarded));
                        _state = State.Outside;
                        i++;
                    }
                    else
                    {
                        // A stray 0x1C inside an oversized payload: count it and keep skipping.
                        AppendHead([Mllp.EndBlock]);
                        _discarded++;
                        _state = State.Discarding;
                    }

                    break;
            }
        }

        return events;
    }

    /// <summary>
    /// The stream has ended (connection closed): reports a frame left open and any pending garbage, and
    /// resets the decoder.
    /// </summary>
    public IReadOnlyList<MllpEvent> Complete()
    {
        var events = new List<MllpEvent>();
        switch (_state)
        {
            case State.InFrame or State.InFrameAfterEndBlock:
                events.Add(FrameError(MllpFrameErrorKind.Unterminated, _length));
                break;
            case State.Discarding or State.DiscardingAfterEndBlock:
                events.Add(FrameError(MllpFrameErrorKind.TooLarge, _discarded));
                break;
        }

        FlushGarbage(events);
        _state = State.Outside;
        _length = 0;
        return events;
    }

    private void BeginFrame()
    {
        _state = State.InFrame;
        _length = 0;
        _discarded = 0;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _maxFrameBytes - _length)
        {
            // Keep the head for the error report, skip the rest until the frame ends.
            _discarded = (long)_length + data.Length;
            AppendHead(data);
            _state = State.Discarding;
            return;
        }

        EnsureCapacity(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Keeps bytes of a discarded frame up to the head size.</summary>
    private void AppendHead(ReadOnlySpan<byte> data)
    {
        var fits = Math.Min(data.Length, Math.Max(0, HeadBytes - _length));
        EnsureCapacity(_length + fits);
        data[..fits].CopyTo(_buffer.AsSpan(_length));
        _length += fits;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = _buffer.Length;
        while (size < needed)
        {
            size = (int)Math.Min((long)size * 2, Math.Max(_maxFrameBytes, HeadBytes));
        }

        Array.Resize(ref _buffer, size);
    }

    private MllpFrameError FrameError(MllpFrameErrorKind kind, long payloadBytes) =>
        new(kind, payloadBytes, _buffer.AsSpan(0, Math.Min(_length, HeadBytes)).ToArray());

    private void AddGarbage(ReadOnlySpan<byte> garbage, List<MllpEvent> events)
    {
        while (garbage.Length > 0)
        {
            var take = (int)Math.Min(garbage.Length, _maxFrameBytes - _garbageCount);
            if (_garbageCount < GarbageSampleBytes)
            {
                var sample = Math.Min(take, GarbageSampleBytes - (int)_garbageCount);
                garbage[..sample].CopyTo(_garbageSample.AsSpan((int)_garbageCount));
            }

            _garbageCount += take;
            garbage = garbage[take..];
            if (_garbageCount >= _maxFrameBytes)
            {
                FlushGarbage(events);
            }
        }
    }

    private void FlushGarbage(List<MllpEvent> events)
    {
        if (_garbageCount == 0)
        {
            return;
        }

        events.Add(new MllpGarbage(_garbageCount, _garbageSample.AsSpan(0, (int)Math.Min(_garbageCount, GarbageSampleBytes)).ToArray()));
        _garbageCount = 0;
    }
}
