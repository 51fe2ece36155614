namespace KetaClinic.Domain.Sessions;

/// <summary>
/// The clinician's discharge assessment at the chair. Each answer left null is not yet assessed, and an unassessed
/// criterion is not met.
/// </summary>
/// <param name="NauseaOrVomitingNeedingTreatment">True while nausea or vomiting still needs treatment.</param>
/// <param name="CompanionPresentName">The companion who is here to take the patient home.</param>
/// <param name="ClinicianJudgesStable">Esketamine (REMS): the clinician judges the patient stable to leave.</param>
/// <param name="ReadyToLeaveWithoutTwoHourRuleAt">Esketamine (REMS form): when the patient would have been ready to
/// leave had the two-hour rule not applied.</param>
public sealed record DischargeAssessment(
    bool? AlertAndOriented,
    bool? WalksSteadily,
    bool? NauseaOrVomitingNeedingTreatment,
    bool? DissociationResolved,
    string? CompanionPresentName,
    bool? NoDrivingUntilNextDayAcknowledged,
    bool? ClinicianJudgesStable,
    DateTimeOffset? ReadyToLeaveWithoutTwoHourRuleAt,
    SessionActor AssessedBy,
    DateTimeOffset AssessedAt);
