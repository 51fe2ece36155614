using KetaClinic.Domain.Outcomes;

namespace KetaClinic.App.Features.Measurement;

public sealed record RecordResponseRequest(string? InstrumentId, Dictionary<string, int>? Answers, DateTimeOffset? TakenAt, Guid? SessionId);

public sealed record ItemAnswerView(string ItemId, string Title, int Value, string Display, int? Score, string? Loinc);

public sealed record ResponseView(
    Guid Id,
    Guid PatientId,
    string InstrumentId,
    string InstrumentVersion,
    string InstrumentTitle,
    int? Total,
    string? SeverityCode,
    string? SeverityDisplay,
    IReadOnlyList<string> Flags,
    string? TriageLevel,
    DateTimeOffset TakenAt,
    string RecordedByName,
    string Source,
    string? LoincPanel,
    string? LoincTotal,
    IReadOnlyList<ItemAnswerView> Items);

public sealed record IssueLinkRequest(string? InstrumentId, string? SentVia, Guid? SessionId);

/// <summary>A newly issued link. The URL (with its token) is shown once and never stored.</summary>
public sealed record IssuedLink(Guid Id, string InstrumentId, string Url, DateTimeOffset ExpiresAt, string SentVia, string? SentTo);

public sealed record LinkView(Guid Id, string InstrumentId, DateTimeOffset CreatedAt, string CreatedByName, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, string State, string SentVia, Guid? SessionId);

public sealed record CheckInResult(Guid SessionId, DateTimeOffset CheckedInAt, IReadOnlyList<IssuedLink> Links);

public sealed record AlertView(
    Guid Id,
    Guid PatientId,
    string PatientName,
    string Mrn,
    string Kind,
    string Severity,
    string Message,
    DateTimeOffset RaisedAt,
    Guid? ResponseId,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedByName,
    string? ActionTaken,
    string? Note);

public sealed record AcknowledgeAlertRequest(string? Action, string? Note);

public sealed record SessionMark(Guid Id, int SequenceNumber, DateTimeOffset At, string Status);

public sealed record ChartBand(string Code, string Display, int Min, int Max);

/// <summary>Everything the outcome chart and table of one instrument need.</summary>
public sealed record InstrumentOutcomeView(
    string InstrumentId,
    string Title,
    int RangeMin,
    int RangeMax,
    IReadOnlyList<ChartBand> Bands,
    IReadOnlyList<ResponseView> Responses,
    int? Baseline,
    DateTimeOffset? BaselineAt,
    int? ResponseLine,
    int? RemissionAtOrBelow,
    string Status,
    string StatusText,
    decimal? ChangePercent,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? FirstRemissionAt,
    DateTimeOffset? RelapseAt,
    string? ThresholdSource);

public sealed record CourseView(Guid Id, string Route, string ProtocolCode, string Status, DateTimeOffset? FirstSessionAt, IReadOnlyList<SessionMark> Sessions);

public sealed record PatientOutcomes(
    Guid PatientId,
    string PatientName,
    string Mrn,
    CourseView? Course,
    IReadOnlyList<InstrumentOutcomeView> Instruments,
    IReadOnlyList<ResponseView> OtherResponses,
    IReadOnlyList<AlertView> OpenAlerts,
    IReadOnlyList<LinkView> Links,
    IReadOnlyList<SessionMark> UpcomingSessions);

public sealed record PublicQuestionnaireItem(string Id, string Title, string? Text, bool Required, IReadOnlyList<(int Value, string Display)> Options);

/// <summary>What the patient's link page may show: the clinic and the questions, nothing from the record.</summary>
public sealed record PublicQuestionnaire(string State, string Message, string? InstrumentId, string? Title, string? Instructions, string? Licence, IReadOnlyList<PublicQuestionnaireItem> Items);

public sealed record PublicSubmitRequest(Dictionary<string, int>? Answers);

public sealed record PublicSubmitResult(string State, string Message);

public sealed record OutcomeDashboardQuery(string? InstrumentId, DateOnly? From, DateOnly? To, Guid? LocationId);

public sealed record OutcomeGroup(string Dimension, string Key, OutcomeSummary Summary);

public sealed record OutcomeDashboard(string InstrumentId, DateOnly? From, DateOnly? To, Guid? LocationId, OutcomeSummary Overall, IReadOnlyList<OutcomeGroup> Groups, string ResponseRule, string RemissionRule, string RelapseRule);

public sealed record InstrumentChoice(string Id, string Title);

public sealed record CheckInView(IReadOnlyList<SessionMark> UpcomingSessions, IReadOnlyList<LinkView> Links, IReadOnlyList<InstrumentChoice> SelfReportInstruments);

public sealed record CheckInRequest(string? SentVia);

public sealed record InstrumentSummary(string Id, string Version, string Title, string Rater, int? RecallWindowDays, bool WordingIncluded, string Licence, string? LoincPanel, string? LoincTotal);

public sealed record InstrumentItemView(string Id, string Title, string? Text, bool Required, bool Scored, string? Loinc, IReadOnlyList<AnswerOptionView> Options, IReadOnlyList<string> ShownWhen);

public sealed record AnswerOptionView(int Value, int? Score, string Display);

public sealed record InstrumentDetail(InstrumentSummary Summary, string? Instructions, IReadOnlyList<InstrumentItemView> Items, IReadOnlyList<ChartBand> Bands, int? TotalMin, int? TotalMax, string Source);
