using System.Globalization;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Monitoring;

/// <summary>
/// Reads vital signs out of an ORU^R01 (unsolicited observation result). Walks PID, PV1, OBR and OBX in
/// order; each OBX is accepted or rejected on its own, so one bad value never hides the good ones. Rules:
/// <list type="bullet">
/// <item>OBX-3 (or its alternate coding) must be in the settings' code map.</item>
/// <item>OBX-11 must be an accepted result status.</item>
/// <item>OBX-2 NM, or SN written as a plain number ("^120" or "=^120"); comparators, ranges and ratios are not
/// measurements. ST and other types are refused: a device that means a number sends NM.</item>
/// <item>OBX-5 holds one value; OBX-6 names an accepted unit for the kind (converted to the stored unit).</item>
/// <item>The value lies in the plausibility range; a systolic not above the diastolic of the same reading fails both.</item>
/// <item>OBX-14, else OBR-7, gives the time to at least the minute; no offset means the clinic's zone; not
/// later than the time of receipt plus the future tolerance.</item>
/// </list>
/// </summary>
public static class OruVitalsMapper
{
    private const int MaxNumberLength = 20;

    public static OruVitalsResult Map(
        Hl7Message message,
        VitalsMappingSettings settings,
        TimeZoneInfo clinicTimeZone,
        DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clinicTimeZone);
        var header = message.Header;
        if (header.MessageType.Code != "ORU")
        {
            return Failed(header, new Hl7Error(
                Hl7ErrorCode.UnsupportedMessageType,
                $"Message type {Hl7Parser.Printable(header.MessageType.ToString(), 20)} is not supported; send ORU^R01.",
                new Hl7Location("MSH", 1, 9, Component: 1)));
        }

        if (header.MessageType.TriggerEvent != "R01")
        {
            return Failed(header, new Hl7Error(
                Hl7ErrorCode.UnsupportedEventCode,
                $"Trigger event {Hl7Parser.Printable(header.MessageType.TriggerEvent, 10)} is not supported; send ORU^R01.",
                new Hl7Location("MSH", 1, 9, Component: 2)));
        }

        var context = new Context(message, settings, clinicTimeZone, receivedAt);
        string? patientId = null;
        string? bed = null;
        Hl7Segment? obr = null;
        foreach (var segment in message.Segments)
        {
            switch (segment.Id)
            {
                case "PID":
                    patientId = NullIfEmpty(segment.Get(3));
                    bed = null;
                    obr = null;
                    break;
                case "PV1":
                    bed = Render(segment.Field(3));
                    break;
                case "OBR":
                    obr = segment;
                    break;
                case "OBX" when obr is null:
                    return Failed(header, new Hl7Error(
                        Hl7ErrorCode.SegmentSequenceError,
                        "OBX must follow an OBR in an ORU^R01.",
                        segment.Location()));
                case "OBX":
                    context.Read(segment, obr!, patientId, bed);
                    break;
            }
        }

        context.RejectInvertedBloodPressures();
        return new OruVitalsResult(header.ControlId, null, context.Accepted, context.Rejected);
    }

    private static OruVitalsResult Failed(Hl7Header header, Hl7Error error) => new(header.ControlId, error, [], []);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>First repetition, components joined with '^', trailing empty ones left out; null when empty.</summary>
    private static string? Render(Hl7Field field) =>
        NullIfEmpty(string.Join('^', field.Repetitions[0].Components.Select(c => string.Join('&', c.Subcomponents).TrimEnd('&'))).TrimEnd('^'));

    private sealed class Context(Hl7Message message, VitalsMappingSettings settings, TimeZoneInfo zone, DateTimeOffset receivedAt)
    {
        public List<VitalObservation> Accepted { get; } = [];

        public List<RejectedObservation> Rejected { get; } = [];

        private readonly Dictionary<VitalObservation, Hl7Location> _locations = [];

        private readonly HashSet<(VitalKind, VitalValue, DateTimeOffset, DeviceIdentity)> _readings = [];

        public void Read(Hl7Segment obx, Hl7Segment obr, string? patientId, string? bed)
        {
            var code = Render(obx.Field(3)) ?? string.Empty;
            var shownCode = Hl7Parser.Printable(code, 60);
            VitalKind? kind = null;

            void Reject(int field, ObservationRejectionReason reason, string why) =>
                Rejected.Add(new RejectedObservation(obx.Location(field), code, kind, reason, why));

            kind = KindOf(obx);
            if (kind is not { } vital)
            {
                Reject(3, ObservationRejectionReason.NotAVitalSign, $"OBX-3 {shownCode} is not a vital sign this system reads.");
                return;
            }

            var name = VitalSigns.DisplayName(vital);
            var status = obx.Get(11);
            if (status.Length == 0)
            {
                Reject(11, ObservationRejectionReason.MissingResultStatus, $"{name}: OBX-11 (result status) is required.");
                return;
            }

            if (!settings.AcceptedResultStatuses.Value.Contains(status, StringComparer.Ordinal))
            {
                Reject(11, ObservationRejectionReason.ResultStatusNotAccepted, $"{name}: result status '{Hl7Parser.Printable(status, 5)}' is not one whose values are stored "
                    + $"(accepted: {string.Join(", ", settings.AcceptedResultStatuses.Value)}).");
                return;
            }

            var valueField = obx.Field(5);
            if (valueField.IsEmpty)
            {
                Reject(5, ObservationRejectionReason.MissingValue, $"{name}: OBX-5 holds no value.");
                return;
            }

            if (valueField.Repetitions.Count > 1)
            {
                Reject(5, ObservationRejectionReason.NotANumber, $"{name}: OBX-5 holds {valueField.Repetitions.Count} values; one measurement per OBX is expected.");
                return;
            }

            var valueType = obx.Get(2);
            decimal? number;
            switch (valueType)
            {
                case "NM":
                    var nm = valueField.Repetitions[0].Components;
                    number = nm.Count == 1 ? ParseNumber(Plain(nm[0])) : null;
                    break;
                case "SN":
                    // comparator ^ num1 ^ separator/suffix ^ num2: only "^n" or "=^n" is one measured value.
                    var sn = valueField.Repetitions[0].Components;
                    var plain = sn.Count is 2 or 3 or 4 && Plain(sn[0]) is "" or "="
                        && sn.Skip(2).All(c => c.IsEmpty);
                    number = plain ? ParseNumber(Plain(sn[1])) : null;
                    break;
                default:
                    Reject(2, ObservationRejectionReason.UnsupportedValueType, $"{name}: value type '{Hl7Parser.Printable(valueType, 5)}' is not read; send NM (or SN).");
                    return;
            }

            if (number is not { } amount)
            {
                Reject(5, ObservationRejectionReason.NotANumber, $"{name}: '{Hl7Parser.Printable(Render(valueField) ?? string.Empty, 30)}' is not a plain number.");
                return;
            }

            var units = obx.Field(6);
            if (units.IsEmpty)
            {
                Reject(6, ObservationRejectionReason.MissingUnit, $"{name}: OBX-6 (units) is required; the value cannot be checked without it.");
                return;
            }

            var stored = VitalUnitConversion.ToStoredUnit(vital, amount, UnitCandidates(units));
            if (stored is not { } converted)
            {
                Reject(6, ObservationRejectionReason.UnitNotAccepted, $"{name}: unit '{Hl7Parser.Printable(Render(units) ?? string.Empty, 40)}' is not accepted; expected {VitalUnitConversion.Accepted(vital)}.");
                return;
            }

            var value = new VitalValue(converted, VitalSigns.UnitOf(vital));
            var range = settings.Plausibility.For(vital);
            if (!range.Value.Contains(converted))
            {
                Reject(5, ObservationRejectionReason.OutsidePlausibleRange, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name} {value} lies outside the plausible range {range.Value.Min}–{range.Value.Max} ({range.Source}); treated as an artefact."));
                return;
            }

            var (timeField, timeText) = obx.Get(14).Length > 0 ? (14, obx.Get(14)) : (7, obr.Get(7));
            if (timeText.Length == 0)
            {
                Reject(14, ObservationRejectionReason.MissingObservationTime, $"{name}: neither OBX-14 nor OBR-7 gives the observation time.");
                return;
            }

            var timeLocation = timeField == 14 ? obx.Location(14) : obr.Location(7);
            var time = Hl7DateTime.Parse(timeText, zone);
            if (time.Instant is not { } observedAt)
            {
                Rejected.Add(new RejectedObservation(timeLocation, code, kind, ObservationRejectionReason.InvalidObservationTime, $"{name}: {time.Error}"));
                return;
            }

            if (time.Precision < Hl7DateTimePrecision.Minute)
            {
                Rejected.Add(new RejectedObservation(timeLocation, code, kind, ObservationRejectionReason.InvalidObservationTime, $"{name}: the observation time '{Hl7Parser.Printable(timeText, 30)}' must be given at least to the minute."));
                return;
            }

            if (observedAt > receivedAt.AddMinutes(settings.FutureToleranceMinutes.Value))
            {
                Rejected.Add(new RejectedObservation(timeLocation, code, kind, ObservationRejectionReason.ObservationTimeInFuture, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name}: observation time {observedAt:u} is more than {settings.FutureToleranceMinutes.Value} minutes after receipt ({receivedAt:u}); check the monitor's clock.")));
                return;
            }

            var device = new DeviceIdentity(
                NullIfEmpty(message.Header.SendingApplication.ToString()),
                NullIfEmpty(message.Header.SendingFacility.ToString()),
                Render(obx.Field(18)),
                bed);
            var observation = new VitalObservation(vital, value, observedAt, device, code, status, patientId);
            if (!_readings.Add((vital, value, observedAt, device)))
            {
                Reject(3, ObservationRejectionReason.Duplicate, $"{name}: the same reading was already given by an earlier OBX of this message.");
                return;
            }

            Accepted.Add(observation);
            _locations[observation] = obx.Location(5);
        }

        /// <summary>A systolic at or below the diastolic of the same reading (device and time) is implausible: both go.</summary>
        public void RejectInvertedBloodPressures()
        {
            var inverted = Accepted
                .Where(o => o.Kind is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure)
                .GroupBy(o => (o.Device, o.ObservedAt))
                .SelectMany(reading => reading.Where(s => s.Kind == VitalKind.SystolicBloodPressure)
                    .SelectMany(s => reading.Where(d => d.Kind == VitalKind.DiastolicBloodPressure && s.Value.Amount <= d.Value.Amount)
                        .Select(d => (Systolic: s, Diastolic: d))))
                .ToList();
            foreach (var (systolic, diastolic) in inverted)
            {
                foreach (var observation in new[] { systolic, diastolic })
                {
                    if (Accepted.Remove(observation))
                    {
                        Rejected.Add(new RejectedObservation(
                            _locations[observation],
                            observation.ObservationCode,
                            observation.Kind,
                            ObservationRejectionReason.SystolicNotAboveDiastolic,
                            $"Blood pressure {systolic.Value.Amount.ToString(CultureInfo.InvariantCulture)}/{diastolic.Value.Amount.ToString(CultureInfo.InvariantCulture)} mmHg: the systolic is not above the diastolic."));
                    }
                }
            }
        }

        private VitalKind? KindOf(Hl7Segment obx)
        {
            var identifier = obx.Field(3);
            foreach (var (codeComponent, systemComponent) in new[] { (1, 3), (4, 6) })
            {
                var code = identifier.Get(codeComponent);
                var system = identifier.Get(systemComponent);
                if (code.Length == 0)
                {
                    continue;
                }

                var mapping = settings.Codes.FirstOrDefault(m =>
                    string.Equals(m.Code, code, StringComparison.Ordinal)
                    && string.Equals(m.CodingSystem, system, StringComparison.OrdinalIgnoreCase));
                if (mapping is not null)
                {
                    return mapping.Kind;
                }
            }

            return null;
        }

        /// <summary>The text of a component without subcomponents; null when it has some (not a plain value).</summary>
        private static string? Plain(Hl7Component component) =>
            component.Subcomponents.Count == 1 ? component.Value : null;

        private static IEnumerable<string> UnitCandidates(Hl7Field units)
        {
            // Identifier, alternate identifier, then the texts.
            foreach (var component in new[] { 1, 4, 2, 5 })
            {
                var value = units.Get(component);
                if (value.Length > 0)
                {
                    yield return value;
                }
            }
        }

        /// <summary>HL7 NM: optional sign, digits, optional decimal point; surrounding spaces tolerated.</summary>
        private static decimal? ParseNumber(string? text)
        {
            var trimmed = (text ?? string.Empty).Trim(' ');
            if (trimmed.Length is 0 or > MaxNumberLength)
            {
                return null;
            }

            var body = trimmed[0] is '+' or '-' ? trimmed[1..] : trimmed;
            var dot = body.IndexOf('.', StringComparison.Ordinal);
            var digits = body.Replace(".", string.Empty, StringComparison.Ordinal);
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || (dot >= 0 && body.IndexOf('.', dot + 1) >= 0))
            {
                return null;
            }

            return decimal.Parse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }
    }
}
