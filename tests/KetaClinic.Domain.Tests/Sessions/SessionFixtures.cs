using KetaClinic.Domain.Common;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.Domain.Tests.Sessions;

/// <summary>People, protocols, times and ready-made facts for session tests.</summary>
internal static class SessionFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 3, 9, 0, 0, TimeSpan.FromHours(-6));

    public static readonly SessionActor Nurse = new("u-nurse-1", "Nora Nurse", StaffRole.Nurse);
    public static readonly SessionActor SecondNurse = new("u-nurse-2", "Ned Nurse", StaffRole.Nurse);
    public static readonly SessionActor Physician = new("u-doc-1", "Dr Petra Physician", StaffRole.Physician);
    public static readonly SessionActor FrontDesk = new("u-desk-1", "Frank Desk", StaffRole.Other);

    public static readonly Guid PatientId = new("11111111-1111-1111-1111-111111111111");

    public static SessionSettings Settings => SessionSettings.Default;

    public static TreatmentProtocol Iv => ProtocolLibrary.Default.Get("iv-racemic-ketamine");

    public static TreatmentProtocol Im => ProtocolLibrary.Default.Get("im-racemic-ketamine");

    public static TreatmentProtocol Esketamine => ProtocolLibrary.Default.Get("esketamine-intranasal");

    public static TreatmentProtocol Oral => ProtocolLibrary.Default.Get("oral-racemic-ketamine");

    public static RecordedWeight Weight80 => new(new WeightKg(80m), T0.AddDays(-10));

    /// <summary>Facts that meet every gate for the protocol at <paramref name="at"/> (vitals come from the session).</summary>
    public static PreDoseFacts GoodFacts(TreatmentProtocol protocol, DateTimeOffset at) => new()
    {
        Consent = new ConsentStatus([protocol.Route], at.AddDays(-30), at.AddDays(300), null),
        Eligibility = new EligibilityStatus(EligibilityDecision.Eligible, DateOnly.FromDateTime(at.DateTime).AddDays(-20), DateOnly.FromDateTime(at.DateTime).AddDays(100)),
        RemsEnrolled = true,
        RequiredInstrumentIds = ["phq9"],
        CompletedInstruments = [new CompletedInstrument("phq9", at.AddMinutes(-20))],
        LastFoodAt = at.AddHours(-4),
        LastDrinkAt = at.AddHours(-1),
        Companion = new CompanionConfirmation("Sam Carter", "+1 555 010 2000"),
        CanBecomePregnant = false,
        Medications = new MedicationListReview([new CurrentMedication("sertraline", 100m)], Nurse, at.AddMinutes(-10)),
        LatestWeight = new RecordedWeight(new WeightKg(80m), at.AddDays(-10)),
        OrderedDose = protocol.Dose.Default.Value,
        OpenSafetyAlerts = 0,
    };

    public static IReadOnlyList<VitalObservation> Vitals(DateTimeOffset at, decimal systolic = 120m, decimal diastolic = 80m, decimal heartRate = 72m, decimal spo2 = 98m) =>
    [
        .. ManualVitals.BloodPressure(systolic, diastolic, at, Nurse, Settings.Plausibility),
        ManualVitals.Reading(VitalKind.HeartRate, heartRate, at, Nurse, Settings.Plausibility),
        ManualVitals.Reading(VitalKind.OxygenSaturation, spo2, at, Nurse, Settings.Plausibility),
    ];

    public static VitalObservation Monitor(VitalKind kind, decimal value, DateTimeOffset at) =>
        new(kind, new VitalValue(value, VitalSigns.UnitOf(kind)), at, new DeviceIdentity("MON", "KC", "chair-3", null), "code", "F", null);

    public static TreatmentSession Scheduled(TreatmentProtocol? protocol = null, Guid? id = null) =>
        TreatmentSession.Schedule(id ?? Guid.NewGuid(), PatientId, protocol ?? Iv, "chair-3", T0.AddMinutes(5), FrontDesk, T0.AddDays(-2));

    public static TreatmentSession CheckedIn(TreatmentProtocol? protocol = null)
    {
        var session = Scheduled(protocol);
        session.CheckIn(FrontDesk, T0);
        return session;
    }

    /// <summary>Checked in with pre-dose vitals at T0+5 min and checks passed at T0+10 min.</summary>
    public static TreatmentSession ChecksPassed(TreatmentProtocol? protocol = null)
    {
        var session = CheckedIn(protocol);
        session.RecordVitals(Vitals(T0.AddMinutes(5)), Settings);
        session.PassPreDoseChecks(GoodFacts(session.Protocol, T0.AddMinutes(10)), Settings, Nurse, T0.AddMinutes(10));
        return session;
    }

    /// <summary>Dosing started at T0+15 min.</summary>
    public static TreatmentSession DosingSession(TreatmentProtocol? protocol = null)
    {
        var session = ChecksPassed(protocol);
        session.StartDosing(Settings, Nurse, T0.AddMinutes(15));
        return session;
    }

    public static DoseCalculation Calculation(TreatmentProtocol protocol, DateTimeOffset at, DoseAmount? order = null, int sessionNumber = 1) =>
        DoseCalculator.Calculate(new DoseRequest(protocol, order ?? protocol.Dose.Default.Value, new RecordedWeight(new WeightKg(80m), at.AddDays(-10)), sessionNumber, at), DosingSettings.Default);

    /// <summary>A valid record for the session's protocol starting at <paramref name="start"/> (IV: 40 min, 40 mg in 100 mL).</summary>
    public static DosingRecordInput RecordInput(TreatmentSession session, DateTimeOffset start)
    {
        var protocol = session.Protocol;
        var calculation = Calculation(protocol, start);
        var input = new DosingRecordInput
        {
            Id = Guid.NewGuid(),
            SessionId = session.Id,
            PatientId = session.PatientId,
            Calculation = calculation,
            GivenDose = calculation.Dose!.Value,
            Route = protocol.Route,
            StartedAt = start,
            EndedAt = start,
            Product = new DrugProduct(new Guid("22222222-2222-2222-2222-222222222222"), "Ketamine 50 mg/mL vial", "LOT-42"),
            PreparedBy = Nurse,
            AdministeredBy = Nurse,
            SecondCheck = new CalculationCheck(SecondNurse, start.AddMinutes(-2)),
        };
        return protocol.Route switch
        {
            AdministrationRoute.Intravenous => input with { Site = "left antecubital", EndedAt = start.AddMinutes(40), InfusionVolumeMl = 100m },
            AdministrationRoute.Intramuscular => input with { Site = "deltoid-left", EndedAt = start.AddMinutes(1) },
            AdministrationRoute.Intranasal => input with
            {
                Product = new DrugProduct(new Guid("33333333-3333-3333-3333-333333333333"), "Spravato 28 mg device", "ESK-7"),
                EndedAt = start.AddMinutes(5),
                DeviceTimes = [start, start.AddMinutes(5)],
                SecondCheck = null,
            },
            _ => input,
        };
    }

    public static DosingRecord Record(TreatmentSession session, DateTimeOffset start) =>
        DosingRecord.Create(RecordInput(session, start), session.Protocol, Settings.DosingRecord);

    /// <summary>Dosing from T0+15; the record ends per protocol; monitoring from then.</summary>
    public static TreatmentSession MonitoringSession(TreatmentProtocol? protocol = null)
    {
        var session = DosingSession(protocol);
        var record = Record(session, T0.AddMinutes(15));
        session.CompleteDosing(record, Nurse, record.EndedAt);
        return session;
    }

    public static DischargeAssessment GoodAssessment(DateTimeOffset at, SessionActor? by = null) =>
        new(true, true, false, true, "Sam Carter", true, true, at.AddMinutes(-30), by ?? Nurse, at);
}
