using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class MllpProperties
{
    // Bytes biased toward the framing characters, so that starts, ends and stray blocks are common.
    private static readonly Gen<byte> StreamByte = Gen.Frequency(
        (6, Gen.Choose(0, 255).Select(i => (byte)i)),
        (1, Gen.Constant(Mllp.StartBlock)),
        (1, Gen.Constant(Mllp.EndBlock)),
        (1, Gen.Constant(Mllp.CarriageReturn)));

    private static readonly Gen<byte[]> Payload =
        Gen.Choose(0, 255).Where(i => i is not (Mllp.StartBlock or Mllp.EndBlock)).Select(i => (byte)i).ArrayOf();

    // Well-formed frames with some garbage between them, or arbitrary bytes.
    private static readonly Gen<byte[]> Streams = Gen.OneOf(
        from payloads in Payload.ListOf()
        from gaps in Gen.Frequency((3, Gen.Constant(Array.Empty<byte>())), (1, StreamByte.ArrayOf())).ArrayOf(payloads.Count)
        select payloads.SelectMany((p, i) => gaps[i].Concat(Mllp.Frame(p))).ToArray(),
        StreamByte.ArrayOf());

    private static readonly Gen<(byte[] Stream, int[] Cuts, int Max)> ChunkedStreams =
        from stream in Streams
        from cuts in Gen.Choose(0, Math.Max(stream.Length, 1)).ArrayOf()
        from max in Gen.Elements(1, 3, 16, 64, 100_000)
        select (stream, cuts.Distinct().Order().ToArray(), max);

    private static List<string> Decode(byte[] stream, int[] cuts, int max)
    {
        var decoder = new MllpFrameDecoder(max);
        var events = new List<MllpEvent>();
        var start = 0;
        foreach (var cut in cuts.Where(c => c <= stream.Length).Append(stream.Length))
        {
            events.AddRange(decoder.Feed(stream.AsSpan(start, cut - start)));
            start = cut;
        }

        events.AddRange(decoder.Complete());
        return events.Select(Describe).ToList();
    }

    private static string Describe(MllpEvent e) => e switch
    {
        MllpFrame f => "frame " + Convert.ToHexString(f.Payload.Span),
        MllpGarbage g => $"garbage {g.ByteCount} {Convert.ToHexString(g.Sample.Span)}",
        MllpFrameError x => $"error {x.Kind} {x.PayloadBytes} {Convert.ToHexString(x.Head.Span)}",
        _ => throw new InvalidOperationException(),
    };

    [Property]
    public Property The_decoder_yields_the_same_events_whatever_the_chunking() =>
        Prop.ForAll(ChunkedStreams.ToArbitrary(), input =>
            Decode(input.Stream, input.Cuts, input.Max).SequenceEqual(Decode(input.Stream, [], input.Max)));

    [Property(MaxTest = 500)]
    public Property The_decoder_yields_the_same_events_whatever_the_chunking_over_many_streams() =>
        Prop.ForAll(ChunkedStreams.ToArbitrary(), input =>
            Decode(input.Stream, input.Cuts, input.Max).SequenceEqual(Decode(input.Stream, [], input.Max)));

    [Property]
    public Property Frames_never_exceed_the_maximum() =>
        Prop.ForAll(ChunkedStreams.ToArbitrary(), input =>
        {
            var decoder = new MllpFrameDecoder(input.Max);
            var events = decoder.Feed(input.Stream).Concat(decoder.Complete());
            return events.OfType<MllpFrame>().All(f => f.Payload.Length <= input.Max);
        });

    [Property]
    public Property Without_a_start_block_every_byte_is_reported_as_garbage() =>
        Prop.ForAll(StreamByte.Where(b => b != Mllp.StartBlock).ArrayOf().ToArbitrary(), Gen.Elements(1, 7, 1000).ToArbitrary(), (stream, max) =>
        {
            var decoder = new MllpFrameDecoder(max);
            var events = decoder.Feed(stream).Concat(decoder.Complete()).ToList();
            return events.All(e => e is MllpGarbage g && g.ByteCount <= max)
                && events.Cast<MllpGarbage>().Sum(g => g.ByteCount) == stream.Length;
        });

    [Property]
    public Property Framed_payloads_come_back_unchanged_in_order() =>
        Prop.ForAll(Payload.ListOf().ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), (payloads, chunkSize) =>
        {
            var stream = payloads.SelectMany(p => Mllp.Frame(p)).ToArray();
            var decoder = new MllpFrameDecoder();
            var frames = new List<byte[]>();
            for (var i = 0; i < stream.Length; i += chunkSize)
            {
                frames.AddRange(decoder.Feed(stream.AsSpan(i, Math.Min(chunkSize, stream.Length - i))).Cast<MllpFrame>().Select(f => f.Payload.ToArray()));
            }

            return decoder.Complete().Count == 0
                && frames.Count == payloads.Count
                && frames.Zip(payloads).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
        });
}
