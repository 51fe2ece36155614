using System.Text;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class MllpFrameDecoderTests
{
    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Framed(string text) => Mllp.Frame(Bytes(text));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static List<MllpEvent> FeedAll(MllpFrameDecoder decoder, byte[] stream, bool complete = true)
    {
        var events = decoder.Feed(stream).ToList();
        if (complete)
        {
            events.AddRange(decoder.Complete());
        }

        return events;
    }

    private static string Text(MllpEvent e) => Encoding.ASCII.GetString(((MllpFrame)e).Payload.Span);

    [Fact]
    public void A_frame_in_one_chunk_comes_out_without_its_block_characters()
    {
        var events = new MllpFrameDecoder().Feed(Framed("MSH|^~\\&|A"));

        Assert.Equal("MSH|^~\\&|A", Text(Assert.Single(events)));
    }

    [Fact]
    public void A_frame_split_byte_by_byte_comes_out_once_its_end_block_arrives()
    {
        var decoder = new MllpFrameDecoder();
        var stream = Framed("MSH|^~\\&|A\rPID|1");
        var events = new List<MllpEvent>();

        for (var i = 0; i < stream.Length; i++)
        {
            var produced = decoder.Feed(stream.AsSpan(i, 1));
            Assert.True(produced.Count == 0 || i == stream.Length - 1);
            events.AddRange(produced);
        }

        Assert.Equal("MSH|^~\\&|A\rPID|1", Text(Assert.Single(events)));
    }

    [Fact]
    public void Several_frames_in_one_chunk_come_out_in_order()
    {
        var events = new MllpFrameDecoder().Feed(Concat(Framed("one"), Framed("two"), Framed("three")));

        Assert.Equal(["one", "two", "three"], events.Select(Text));
    }

    [Fact]
    public void An_empty_frame_is_a_frame()
    {
        var events = new MllpFrameDecoder().Feed(Framed(string.Empty));

        Assert.Equal(0, ((MllpFrame)Assert.Single(events)).Payload.Length);
    }

    [Fact]
    public void Bytes_before_a_start_block_are_reported_as_garbage_and_the_frame_still_decodes()
    {
        var events = new MllpFrameDecoder().Feed(Concat(Bytes("noise"), Framed("one")));

        Assert.Equal(2, events.Count);
        var garbage = Assert.IsType<MllpGarbage>(events[0]);
        Assert.Equal(5, garbage.ByteCount);
        Assert.Equal("noise", Encoding.ASCII.GetString(garbage.Sample.Span));
        Assert.Equal("one", Text(events[1]));
    }

    [Fact]
    public void A_line_feed_after_each_frame_is_garbage_reported_before_the_next_frame()
    {
        var events = new MllpFrameDecoder().Feed(Concat(Framed("one"), Bytes("\n"), Framed("two"), Bytes("\n")));

        Assert.Collection(
            events,
            e => Assert.Equal("one", Text(e)),
            e => Assert.Equal(1, Assert.IsType<MllpGarbage>(e).ByteCount),
            e => Assert.Equal("two", Text(e)));
    }

    [Fact]
    public void Trailing_garbage_is_reported_when_the_stream_completes()
    {
        var decoder = new MllpFrameDecoder();

        var events = FeedAll(decoder, Concat(Framed("one"), Bytes("tail")));

        Assert.Equal(4, Assert.IsType<MllpGarbage>(events[^1]).ByteCount);
    }

    [Fact]
    public void A_long_run_of_garbage_is_reported_in_pieces_of_the_maximum_frame_size_with_a_short_sample()
    {
        var events = FeedAll(new MllpFrameDecoder(maxFrameBytes: 100), Bytes(new string('x', 250)));

        Assert.Equal([100L, 100L, 50L], events.Cast<MllpGarbage>().Select(g => g.ByteCount));
        Assert.Equal(64, ((MllpGarbage)events[0]).Sample.Length);
    }

    [Fact]
    public void A_frame_of_exactly_the_maximum_size_is_delivered()
    {
        var events = new MllpFrameDecoder(maxFrameBytes: 10).Feed(Framed("0123456789"));

        Assert.Equal("0123456789", Text(Assert.Single(events)));
    }

    [Fact]
    public void A_frame_over_the_maximum_is_an_error_and_the_decoder_resynchronises_on_the_next_frame()
    {
        var decoder = new MllpFrameDecoder(maxFrameBytes: 10);

        var events = decoder.Feed(Concat(Framed("0123456789A"), Framed("ok")));

        var error = Assert.IsType<MllpFrameError>(events[0]);
        Assert.Equal(MllpFrameErrorKind.TooLarge, error.Kind);
        Assert.Equal(11, error.PayloadBytes);
        Assert.Equal("0123456789A", Encoding.ASCII.GetString(error.Head.Span));
        Assert.Equal("ok", Text(events[1]));
    }

    [Fact]
    public void An_oversized_frame_is_reported_at_its_end_block_so_the_sender_is_not_left_waiting()
    {
        var decoder = new MllpFrameDecoder(maxFrameBytes: 10);

        var events = decoder.Feed(Framed(new string('x', 5000)));

        var error = Assert.IsType<MllpFrameError>(Assert.Single(events));
        Assert.Equal(5000, error.PayloadBytes);
        Assert.Equal(1024, error.Head.Length);
    }

    [Fact]
    public void An_oversized_frame_cut_short_by_a_start_block_is_reported_and_the_new_frame_decoded()
    {
        var decoder = new MllpFrameDecoder(maxFrameBytes: 4);

        var events = decoder.Feed(Concat([Mllp.StartBlock], Bytes("too long \u001c stray"), Framed("ok")));

        Assert.Equal(MllpFrameErrorKind.TooLarge, Assert.IsType<MllpFrameError>(events[0]).Kind);
        Assert.Equal(16, ((MllpFrameError)events[0]).PayloadBytes);
        Assert.Equal("ok", Text(events[1]));
    }

    [Fact]
    public void A_start_block_inside_a_frame_reports_the_open_frame_as_unterminated_and_starts_anew()
    {
        var events = new MllpFrameDecoder().Feed(Concat([Mllp.StartBlock], Bytes("lost"), Framed("kept")));

        var error = Assert.IsType<MllpFrameError>(events[0]);
        Assert.Equal(MllpFrameErrorKind.Unterminated, error.Kind);
        Assert.Equal("lost", Encoding.ASCII.GetString(error.Head.Span));
        Assert.Equal("kept", Text(events[1]));
    }

    [Fact]
    public void An_end_block_without_carriage_return_is_malformed_and_what_follows_is_read_afresh()
    {
        var events = new MllpFrameDecoder().Feed(Concat([Mllp.StartBlock], Bytes("bad"), [Mllp.EndBlock], Bytes("x"), Framed("good")));

        Assert.Collection(
            events,
            e => Assert.Equal(MllpFrameErrorKind.MalformedEndBlock, Assert.IsType<MllpFrameError>(e).Kind),
            e => Assert.Equal(1, Assert.IsType<MllpGarbage>(e).ByteCount),
            e => Assert.Equal("good", Text(e)));
    }

    [Fact]
    public void A_frame_left_open_when_the_stream_ends_is_unterminated()
    {
        var decoder = new MllpFrameDecoder();
        Assert.Empty(decoder.Feed(Concat([Mllp.StartBlock], Bytes("half"), [Mllp.EndBlock])));

        var events = decoder.Complete();

        var error = Assert.IsType<MllpFrameError>(Assert.Single(events));
        Assert.Equal(MllpFrameErrorKind.Unterminated, error.Kind);
        Assert.Equal(4, error.PayloadBytes);
    }

    [Fact]
    public void After_completing_the_decoder_starts_clean()
    {
        var decoder = new MllpFrameDecoder();
        decoder.Feed(Concat([Mllp.StartBlock], Bytes("half")));
        decoder.Complete();

        Assert.Equal("next", Text(Assert.Single(decoder.Feed(Framed("next")))));
    }

    [Fact]
    public void The_maximum_frame_size_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MllpFrameDecoder(0));
    }

    [Fact]
    public void Frame_wraps_the_payload_in_start_and_end_blocks()
    {
        Assert.Equal(new byte[] { 0x0B, (byte)'A', 0x1C, 0x0D }, Mllp.Frame(Bytes("A")));
    }

    [Theory]
    [InlineData(0x0B)]
    [InlineData(0x1C)]
    public void Framing_a_payload_that_holds_a_block_character_is_a_programming_error(byte block)
    {
        Assert.Throws<ArgumentException>(() => Mllp.Frame([(byte)'A', block]));
    }

    [Fact]
    public void Frame_message_encodes_in_utf8_when_msh_18_is_empty()
    {
        const string message = "MSH|^~\\&|A|B|C|D|20260101||ACK^R01^ACK|1|P|2.5\rMSA|AA|Größe\r";

        Assert.Equal(Encoding.UTF8.GetBytes(message), Mllp.FrameMessage(message)[1..^2]);
    }
}
