namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// MLLP framing (HL7 v2 minimal lower layer protocol): a frame is 0x0B, the message bytes, then 0x1C 0x0D.
/// Encoding side; <see cref="MllpFrameDecoder"/> is the receiving side.
/// </summary>
public static class Mllp
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    /// <summary>Default largest payload accepted in one frame: 1 MiB, far above any vital-signs message.</summary>
    public const int DefaultMaxFrameBytes = 1024 * 1024;

    /// <summary>Wraps a payload in a frame. A payload holding 0x0B or 0x1C would break framing: that is misuse.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        if (payload.IndexOfAny(StartBlock, EndBlock) is var at and >= 0)
        {
            throw new ArgumentException($"The payload holds an MLLP block character at byte {at}.", nameof(payload));
        }

        var frame = new byte[payload.Length + 3];
        frame[0] = StartBlock;
        payload.CopyTo(frame.AsSpan(1));
        frame[^2] = EndBlock;
        frame[^1] = CarriageReturn;
        return frame;
    }

    /// <summary>
    /// Encodes an outgoing message in the character set its MSH-18 declares (UTF-8 when empty) and frames it.
    /// Characters the declared set cannot hold are sent as '?'.
    /// </summary>
    public static byte[] FrameMessage(string hl7Text)
    {
        ArgumentNullException.ThrowIfNull(hl7Text);
        var msh18 = Hl7Charset.ReadMsh18(hl7Text);
        var charset = Hl7Charset.Resolve(msh18)
            ?? throw new ArgumentException($"MSH-18 '{msh18}' is not a supported character set.", nameof(hl7Text));
        return Frame(Hl7Charset.Encode(charset, hl7Text));
    }
}
