using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class Hl7Properties
{
    private static readonly string[] Tokens =
    [
        "MSH|^~\\&|", "MSH|^~\\&#|", "|", "^", "~", "\\", "&", "#", "\r", "\n", "\r\n", "OBX|", "OBR|", "PID|", "PV1|",
        "\\F\\", "\\S\\", "\\X0D\\", "\\X", "\\.br\\", "\\Z1\\", "ORU^R01", "2.5", "2.3", "P", "NM", "SN", "8867-4^HR^LN",
        "150456^MDC_PULS_OXIM_SAT_O2^MDC", "mm[Hg]", "%", "/min", "F", "R", "X", "20260303101500", "-0600", "+", "\"\"",
        "UNICODE UTF-8", "8859/1", "ASCII", "°", "é", "中", "\u0000", "\u000b", "\u001c", "😀", " ", "0", "9", ".",
    ];

    // Text chars: ordinary letters, delimiters, controls, non-ASCII and astral characters (as surrogate pairs).
    private static readonly Gen<string> TextPiece = Gen.Frequency(
        (8, Gen.Elements("a", "Z", "7", " ", "-", ".", "/", "\"")),
        (4, Gen.Elements("|", "^", "~", "\\", "&", "#", "$", "*", "!", "@")),
        (2, Gen.Choose(0, 31).Select(i => ((char)i).ToString())),
        (1, Gen.Constant("\u007f")),
        (2, Gen.Elements("é", "°", "ß", "Ł", "中", "\u0085", "\u00a0", "\ufeff")),
        (1, Gen.Elements("😀", "𝄞")));

    private static readonly Gen<string> Text = TextPiece.ListOf().Select(string.Concat);

    private static readonly Gen<string> TokenSoup =
        Gen.Frequency((4, Gen.Elements(Tokens)), (1, TextPiece)).ListOf().Select(string.Concat);

    // A sample message with a few random edits: the most effective way to reach deep parser states.
    private static readonly Gen<string> MutatedSamples =
        from sample in Gen.Elements(Samples.MdcMonitor(), Samples.LoincMonitor(), Samples.Oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F"))
        from edits in Gen.Choose(1, 6)
        from positions in Gen.Choose(0, sample.Length).ArrayOf(edits)
        from inserts in Gen.Frequency((3, Gen.Elements(Tokens)), (1, TextPiece), (1, Gen.Constant(string.Empty))).ArrayOf(edits)
        from deletes in Gen.Choose(0, 4).ArrayOf(edits)
        select Mutate(sample, positions, inserts, deletes);

    private static readonly Gen<string> AnyMessageText = Gen.OneOf(TokenSoup, MutatedSamples, Text);

    // Delimiter sets as MSH-1/MSH-2 would declare them, with and without a truncation character.
    private static readonly Gen<Hl7Delimiters> DelimiterSets =
        from chars in Gen.Shuffle("|^~\\&#$*!@%+".ToCharArray())
        from truncation in Gen.Elements(true, false)
        select new Hl7Delimiters(chars[0], chars[1], chars[2], chars[3], chars[4], truncation ? chars[5] : null);

    private static string Mutate(string sample, int[] positions, string[] inserts, int[] deletes)
    {
        var builder = new StringBuilder(sample);
        for (var i = 0; i < positions.Length; i++)
        {
            var at = Math.Min(positions[i], builder.Length);
            builder.Remove(at, Math.Min(deletes[i], builder.Length - at)).Insert(at, inserts[i]);
        }

        return builder.ToString();
    }

    private static string Header(Hl7Delimiters d) =>
        $"MSH{d.Field}{d.EncodingCharacters}{d.Field}APP{d.Field}FAC{d.Field}{d.Field}{d.Field}20260101{d.Field}{d.Field}ORU{d.Component}R01{d.Field}1{d.Field}P{d.Field}2.5\r";

    /// <summary>Parsing must end in a result; and a successful result must be internally consistent.</summary>
    private static bool ParsesSafely(Hl7ParseResult result) =>
        result.IsSuccess
            ? result.Message.Segments.Count > 0 && result.Message.Segments[0].Id == "MSH" && result.Error is null
              && result.Message.Segments.Select(s => s.Sequence).SequenceEqual(Enumerable.Range(1, result.Message.Segments.Count))
            : result.Error is not null && result.Message is null;

    [Property]
    public Property The_parser_never_throws_on_arbitrary_text() =>
        Prop.ForAll(AnyMessageText.ToArbitrary(), text => ParsesSafely(Hl7Parser.Parse(text)));

    [Property(MaxTest = 2000)]
    public Property The_parser_never_throws_on_thousands_of_mutated_monitor_messages() =>
        Prop.ForAll(MutatedSamples.ToArbitrary(), text => ParsesSafely(Hl7Parser.Parse(text)));

    [Property]
    public Property The_parser_never_throws_on_arbitrary_bytes() =>
        Prop.ForAll(
            Gen.OneOf(
                Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(),
                AnyMessageText.Select(Encoding.UTF8.GetBytes),
                MutatedSamples.Select(Encoding.Latin1.GetBytes)).ToArbitrary(),
            bytes => ParsesSafely(Hl7Parser.Parse(bytes)));

    [Property(MaxTest = 500)]
    public Property Mapping_and_acknowledging_any_parsed_message_never_throws() =>
        Prop.ForAll(MutatedSamples.ToArbitrary(), text =>
        {
            var parsed = Hl7Parser.Parse(text);
            var options = new Hl7AckOptions("A1", Samples.ReceivedAt);
            if (!parsed.IsSuccess)
            {
                return Hl7Parser.Parse(Hl7Ack.ForParseFailure(parsed, options)).IsSuccess;
            }

            var result = OruVitalsMapper.Map(parsed.Message, VitalsMappingSettings.Default, Samples.Chicago, Samples.ReceivedAt);
            var alerts = result.Accepted.SelectMany(o => VitalAlerts.Evaluate(o, VitalAlertSettings.Default)).ToList();
            var ack = result.Failure is null
                ? Hl7Ack.Accept(parsed.Message.Header, options, [.. result.Rejected.Select(r => r.ToAckWarning())])
                : Hl7Ack.ForError(parsed.Message.Header, result.Failure, options);
            return alerts.Count >= 0 && Hl7Parser.Parse(ack).IsSuccess
                && result.Accepted.All(o => VitalsMappingSettings.Default.Plausibility.For(o.Kind).Value.Contains(o.Value.Amount));
        });

    [Property]
    public Property Escaped_text_parses_back_to_itself_with_any_delimiters() =>
        Prop.ForAll(Text.ToArbitrary(), DelimiterSets.ToArbitrary(), (text, d) =>
        {
            var message = Header(d) + $"NTE{d.Field}1{d.Field}{d.Field}{Hl7Escaping.Escape(text, d)}\r";
            var parsed = Hl7Parser.Parse(message);
            return parsed.IsSuccess && parsed.Message.Get("NTE", 3) == text;
        });

    [Property(MaxTest = 300)]
    public Property Escaped_values_keep_their_place_in_repetitions_components_and_subcomponents() =>
        Prop.ForAll(Text.ArrayOf(4).ToArbitrary(), DelimiterSets.ToArbitrary(), (values, d) =>
        {
            var e = values.Select(v => Hl7Escaping.Escape(v, d)).ToArray();
            var field = $"{e[0]}{d.Component}{e[1]}{d.Subcomponent}{e[2]}{d.Repetition}{e[3]}";
            var parsed = Hl7Parser.Parse(Header(d) + $"OBX{d.Field}1{d.Field}ST{d.Field}{field}\r");
            var obx = parsed.Message!.SegmentsWithId("OBX").Single();
            return obx.Get(3, 1) == values[0]
                && obx.Get(3, 2, 1) == values[1]
                && obx.Get(3, 2, 2) == values[2]
                && obx.Get(3, 1, repetition: 2) == values[3];
        });

    [Property]
    public Property Escaped_text_survives_encoding_framing_decoding_and_parsing() =>
        Prop.ForAll(Text.ToArbitrary(), Gen.Elements("", "UNICODE UTF-8", "8859/1").ToArbitrary(), Gen.Choose(1, 50).ToArbitrary(), (text, charset, chunk) =>
        {
            var representable = charset == "8859/1" ? new string(text.Select(c => c > 0xFF ? '?' : c).ToArray()) : text;
            var message = $"MSH|^~\\&|APP|FAC|||20260101||ORU^R01|1|P|2.5||||||{charset}\rNTE|1||{Hl7Escaping.Escape(text, Hl7Delimiters.Standard)}\r";
            var stream = Mllp.FrameMessage(message);
            var decoder = new MllpFrameDecoder();
            var frames = new List<MllpFrame>();
            for (var i = 0; i < stream.Length; i += chunk)
            {
                frames.AddRange(decoder.Feed(stream.AsSpan(i, Math.Min(chunk, stream.Length - i))).Cast<MllpFrame>());
            }

            var parsed = Hl7Parser.Parse(Assert.Single(frames).Payload.Span);
            return parsed.IsSuccess && parsed.Message.Get("NTE", 3) == representable;
        });

    [Property]
    public Property Ack_values_are_escaped_so_the_ack_parses_back_to_them() =>
        Prop.ForAll(Text.ArrayOf(4).ToArbitrary(), values =>
        {
            var header = new Hl7Header(
                Hl7Delimiters.Standard,
                new Hl7HierarchicDesignator(values[0], values[1], string.Empty),
                Hl7HierarchicDesignator.None,
                Hl7HierarchicDesignator.None,
                Hl7HierarchicDesignator.None,
                string.Empty,
                new Hl7MessageType("ORU", "R01", string.Empty),
                values[2].Length == 0 ? "1" : values[2],
                "P",
                "2.5.1",
                string.Empty);
            var ack = Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [new Hl7Error(Hl7ErrorCode.DataTypeError, values[3])], new Hl7AckOptions("A1", Samples.ReceivedAt));
            var parsed = Hl7Parser.Parse(ack);
            return parsed.IsSuccess
                && parsed.Message.Segments.Count == 3
                && parsed.Message.Get("MSH", 5, 1) == values[0]
                && parsed.Message.Get("MSH", 5, 2) == values[1]
                && parsed.Message.Get("MSA", 2) == header.ControlId
                && parsed.Message.Get("ERR", 8) == values[3];
        });

    [Property]
    public Property Dtm_parsing_never_throws() =>
        Prop.ForAll(
            Gen.OneOf(Text, Gen.Elements("0123456789+-.".Select(c => c.ToString()).ToArray()).ListOf().Select(string.Concat)).ToArbitrary(),
            text =>
            {
                var result = Hl7DateTime.Parse(text, Samples.Chicago);
                return (result.Instant is null) != (result.Error is null);
            });
}
