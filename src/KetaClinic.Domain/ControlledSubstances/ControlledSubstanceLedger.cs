using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// Decides ledger commands. Pure and deterministic: given the ledger as it stands, a command and the context
/// (time already read, reference data, settings) it returns the next chained entry or the reasons it is refused.
/// The app calls it inside a serialised transaction, stores the entry, and folds it into the state.
/// </summary>
public static class ControlledSubstanceLedger
{
    private const int PersonMax = 100;
    private const int ShortTextMax = 200;
    private const int LongTextMax = 2000;
    private const int MaxLines = 500;

    public static LedgerDecision Decide(LedgerState state, LedgerCommand command, LedgerContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var settingErrors = context.Settings.Validate();
        if (settingErrors.Count > 0)
        {
            return LedgerDecision.Refused([.. settingErrors.Select(e => e with { Field = "settings." + e.Field })]);
        }
        var d = new Decision(state, context);
        d.Person("recordedBy", context.RecordedBy);
        if (state.LastRecordedAt is { } last && LedgerChain.NormalizeInstant(context.Now) < last)
        {
            d.Add("recordedAt", $"is earlier than the last ledger entry ({Format(last)}); the ledger's entries are in time order.");
        }
        LedgerEvent? ledgerEvent = command switch
        {
            RecordReceipt c => d.DecideReceipt(c),
            RecordTransfer c => d.DecideTransfer(c),
            RecordDraw c => d.DecideDraw(c),
            RecordAdministration c => d.DecideAdministration(c),
            RecordWaste c => d.DecideWaste(c),
            RecordReturnToSupplier c => d.DecideReturn(c),
            RecordDestruction c => d.DecideDestruction(c),
            RecordLossOrTheft c => d.DecideLoss(c),
            RecordLossReportFiled c => d.DecideLossReport(c),
            RecordCorrection c => d.DecideCorrection(c),
            RecordCount c => d.DecideCount(c),
            RecordDiscrepancyResolution c => d.DecideResolution(c),
            _ => throw new ArgumentException($"Unknown ledger command {command.GetType().Name}.", nameof(command)),
        };
        if (!d.IsValid || ledgerEvent is null)
        {
            return LedgerDecision.Refused(d.Errors);
        }
        return new LedgerDecision(LedgerChain.Seal(state.LastSequence, state.LastHash, context.Now, context.RecordedBy.Trim(), ledgerEvent), []);
    }

    internal static string Format(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    internal static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Decision(LedgerState state, LedgerContext ctx)
    {
        private readonly Validator _v = new();

        public bool IsValid => _v.IsValid;
        public IReadOnlyList<FieldError> Errors => _v.Errors;
        private LedgerReference Reference => ctx.Reference;

        public void Add(string field, string message) => _v.Add(field, message);

        public string Person(string field, string? value) => _v.Text(field, value, PersonMax, required: true) ?? string.Empty;

        private string Required(string field, string? value, int max) => _v.Text(field, value, max, required: true) ?? string.Empty;

        private string? Optional(string field, string? value, int max) => _v.Text(field, value, max, required: false);

        public Receipt? DecideReceipt(RecordReceipt c)
        {
            var storage = StorageFor("storageLocationId", c.StorageLocationId);
            NotAfterToday("receivedOn", c.ReceivedOn);
            var supplier = (c.Supplier ?? new Supplier(string.Empty, string.Empty, string.Empty)).Validated(_v, "supplier");
            var invoice = Required("invoiceNumber", c.InvoiceNumber, PersonMax);
            var receivedBy = Person("receivedBy", c.ReceivedBy);
            var verifiedBy = Person("verifiedBy", c.VerifiedBy);
            if (receivedBy.Length > 0 && string.Equals(receivedBy, verifiedBy, StringComparison.Ordinal))
            {
                Add("verifiedBy", "must be someone other than the person who received the delivery.");
            }
            var lines = Lines("containers", c.Containers);
            var seen = new HashSet<Guid>();
            var received = new List<ReceivedContainer>();
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var f = $"containers[{i}]";
                if (line is null)
                {
                    Add(f, "is required.");
                    continue;
                }
                if (line.ContainerId == Guid.Empty)
                {
                    Add(f + ".containerId", "is required.");
                }
                else if (!seen.Add(line.ContainerId))
                {
                    Add(f + ".containerId", "appears twice on this receipt.");
                }
                else if (state.ContainerIdUsed(line.ContainerId))
                {
                    Add(f + ".containerId", $"{line.ContainerId} is already on the ledger; every container gets a new id.");
                }
                var lot = Required(f + ".lot", line.Lot, 50);
                if (line.ExpiresOn <= c.ReceivedOn)
                {
                    Add(f + ".expiresOn", $"is {Format(line.ExpiresOn)}: the container has expired by the day of receipt.");
                }
                var product = Reference.Product(line.ProductId);
                if (product is null)
                {
                    Add(f + ".productId", $"{line.ProductId} is not a product of this clinic.");
                    continue;
                }
                if (storage is not null)
                {
                    RegistrationCovers("storageLocationId", storage, product, c.ReceivedOn);
                }
                received.Add(new ReceivedContainer(line.ContainerId, product.Id, lot, line.ExpiresOn, product.MassPerContainer));
            }
            return new Receipt(c.StorageLocationId, c.ReceivedOn, supplier, invoice, received, receivedBy, verifiedBy);
        }

        public Transfer? DecideTransfer(RecordTransfer c)
        {
            var movedBy = Person("movedBy", c.MovedBy);
            var note = Optional("note", c.Note, LongTextMax);
            var container = InStockContainer("containerId", c.ContainerId);
            var from = StorageFor("fromStorageLocationId", c.FromStorageLocationId);
            var to = StorageFor("toStorageLocationId", c.ToStorageLocationId);
            if (container is null || from is null || to is null)
            {
                return null;
            }
            if (container.StorageLocationId != from.Id)
            {
                Add("fromStorageLocationId", $"{Describe(container)} is in {StorageName(container.StorageLocationId)}, not in {from.Name}.");
            }
            if (from.Id == to.Id)
            {
                Add("toStorageLocationId", "must be a different storage place from the one the container is in.");
            }
            else if (from.ClinicLocationId != to.ClinicLocationId)
            {
                Add("toStorageLocationId", "is at another registered location: moving stock between registrations is a distribution, not a transfer.");
            }
            return new Transfer(container.Id, from.Id, to.Id, container.Balance, movedBy, note);
        }

        public Draw? DecideDraw(RecordDraw c)
        {
            var drawnBy = Person("drawnBy", c.DrawnBy);
            var drawnAt = Instant("drawnAt", c.DrawnAt);
            if (c.SessionId == Guid.Empty)
            {
                Add("sessionId", "is required: every draw is for a session.");
            }
            var container = InStockContainer("containerId", c.ContainerId);
            if (container is null)
            {
                return null;
            }
            var product = ProductOf(container);
            if (container.ExpiresOn < ctx.Today)
            {
                Add("containerId", $"{Describe(container)} expired on {Format(container.ExpiresOn)}; expired stock is not drawn.");
            }
            if (Reference.Storage(container.StorageLocationId) is { } storage && product is not null)
            {
                RegistrationCovers("containerId", storage, product, ctx.Today);
            }
            var mass = Resolve("amount", product, c.Amount);
            if (product is null || mass is null)
            {
                return null;
            }
            if (product.Form == FinishedForm.NasalDevice && mass.Value.Micrograms % product.MassPerDevice!.Value.Micrograms != 0)
            {
                Add("amount", "must be a whole number of devices: a nasal device is taken from its kit whole.");
            }
            NotBelowZero("amount", container, product, mass.Value, "drawing");
            return new Draw(container.Id, c.Amount, mass.Value, c.SessionId, drawnBy, drawnAt);
        }

        public Administration? DecideAdministration(RecordAdministration c)
        {
            var by = Person("administeredBy", c.AdministeredBy);
            var at = Instant("administeredAt", c.AdministeredAt);
            if (c.PatientId == Guid.Empty)
            {
                Add("patientId", "is required.");
            }
            if (c.DosingRecordId == Guid.Empty)
            {
                Add("dosingRecordId", "is required: an administration is linked to the session's dosing record.");
            }
            var draw = StandingDraw("drawSequence", c.DrawSequence);
            if (draw is null)
            {
                return null;
            }
            if (c.SessionId != draw.SessionId)
            {
                Add("sessionId", $"is {c.SessionId}, but draw {draw.Sequence} was for session {draw.SessionId}.");
            }
            if (at < LedgerChain.NormalizeInstant(draw.DrawnAt))
            {
                Add("administeredAt", $"is before the drug was drawn ({Format(draw.DrawnAt)}).");
            }
            var product = Reference.Product(draw.ProductId);
            var mass = Resolve("amount", product, c.Amount);
            if (mass is null)
            {
                return null;
            }
            NotAboveDraw("amount", draw, product!, mass.Value, "administering");
            return new Administration(draw.Sequence, c.SessionId, c.DosingRecordId, c.PatientId, c.Amount, mass.Value, by, at);
        }

        public Waste? DecideWaste(RecordWaste c)
        {
            var wastedBy = Person("wastedBy", c.WastedBy);
            var manner = Required("manner", c.Manner, ShortTextMax);
            var at = Instant("wastedAt", c.WastedAt);
            if (c.Witness is null)
            {
                if (ctx.Settings.WasteWitnessRequired.Value)
                {
                    Add("witness", $"is required: routine waste is witnessed ({ctx.Settings.WasteWitnessRequired.Source}).");
                }
            }
            else
            {
                Witness("witness", c.Witness, [wastedBy, ctx.RecordedBy]);
            }
            if (c.DrawSequence is null == c.ContainerId is null)
            {
                Add("drawSequence", "give either the draw the waste comes from or the container, not both or neither.");
                return null;
            }
            if (c.DrawSequence is { } drawSeq)
            {
                var draw = StandingDraw("drawSequence", drawSeq);
                if (draw is null)
                {
                    return null;
                }
                if (at < LedgerChain.NormalizeInstant(draw.DrawnAt))
                {
                    Add("wastedAt", $"is before the drug was drawn ({Format(draw.DrawnAt)}).");
                }
                var product = Reference.Product(draw.ProductId);
                var mass = Resolve("amount", product, c.Amount);
                if (mass is null)
                {
                    return null;
                }
                NotAboveDraw("amount", draw, product!, mass.Value, "wasting");
                return new Waste(draw.Sequence, null, c.Amount, mass.Value, manner, wastedBy, Normalized(c.Witness), at);
            }
            var container = InStockContainer("containerId", c.ContainerId!.Value);
            if (container is null)
            {
                return null;
            }
            var containerProduct = ProductOf(container);
            var containerMass = Resolve("amount", containerProduct, c.Amount);
            if (containerMass is null)
            {
                return null;
            }
            NotBelowZero("amount", container, containerProduct!, containerMass.Value, "wasting");
            return new Waste(null, container.Id, c.Amount, containerMass.Value, manner, wastedBy, Normalized(c.Witness), at);
        }

        public ReturnToSupplier? DecideReturn(RecordReturnToSupplier c)
        {
            var supplier = (c.Supplier ?? new Supplier(string.Empty, string.Empty, string.Empty)).Validated(_v, "supplier");
            NotAfterToday("returnedOn", c.ReturnedOn);
            var reference = Required("reference", c.Reference, PersonMax);
            var by = Person("returnedBy", c.ReturnedBy);
            var reason = Optional("reason", c.Reason, LongTextMax);
            var containers = WholeContainers("containerIds", c.ContainerIds, "returned");
            return new ReturnToSupplier(supplier, c.ReturnedOn, reference, containers, by, reason);
        }

        public Destruction? DecideDestruction(RecordDestruction c)
        {
            NotAfterToday("destroyedOn", c.DestroyedOn);
            var method = Required("method", c.Method, ShortTextMax);
            var form41 = Required("form41Reference", c.Form41Reference, PersonMax);
            var by = Person("destroyedBy", c.DestroyedBy);
            var containers = WholeContainers("containerIds", c.ContainerIds, "destroyed");
            var witnesses = c.Witnesses ?? [];
            var needed = ctx.Settings.DestructionWitnesses.Value;
            if (witnesses.Count != needed)
            {
                Add("witnesses", $"must be {needed} people, each signing in for this entry ({ctx.Settings.DestructionWitnesses.Source}); got {witnesses.Count}.");
            }
            var people = new List<string> { by, ctx.RecordedBy };
            var normalized = new List<WitnessAttestation>();
            for (var i = 0; i < witnesses.Count; i++)
            {
                if (witnesses[i] is null)
                {
                    Add($"witnesses[{i}]", "is required.");
                    continue;
                }
                var before = witnesses[i].UserId?.Trim();
                if (before is not null && normalized.Any(w => string.Equals(w.UserId, before, StringComparison.Ordinal)))
                {
                    Add($"witnesses[{i}].userId", "is already a witness to this destruction: the witnesses are different people.");
                }
                Witness($"witnesses[{i}]", witnesses[i], people);
                normalized.Add(Normalized(witnesses[i])!);
            }
            return new Destruction(c.DestroyedOn, method, form41, containers, by, normalized);
        }

        public LossOrTheft? DecideLoss(RecordLossOrTheft c)
        {
            if (!Enum.IsDefined(c.LossKind))
            {
                Add("lossKind", "must be a theft, a significant loss or a loss in transit.");
            }
            NotAfterToday("discoveredOn", c.DiscoveredOn);
            var circumstances = Required("circumstances", c.Circumstances, LongTextMax);
            var by = Person("reportedBy", c.ReportedBy);
            var lines = Lines("lines", c.Lines);
            var seen = new HashSet<Guid>();
            var result = new List<LostAmount>();
            for (var i = 0; i < lines.Count; i++)
            {
                var f = $"lines[{i}]";
                if (lines[i] is not { } line)
                {
                    Add(f, "is required.");
                    continue;
                }
                if (!seen.Add(line.ContainerId))
                {
                    Add(f + ".containerId", "appears twice in this report.");
                    continue;
                }
                var container = InStockContainer(f + ".containerId", line.ContainerId);
                if (container is null)
                {
                    continue;
                }
                if (line.Amount is not { } amount)
                {
                    result.Add(new LostAmount(container.Id, container.Balance, WholeContainer: true));
                    continue;
                }
                var product = ProductOf(container);
                var mass = Resolve(f + ".amount", product, amount);
                if (mass is null)
                {
                    continue;
                }
                NotBelowZero(f + ".amount", container, product!, mass.Value, "losing");
                result.Add(new LostAmount(container.Id, mass.Value, WholeContainer: false));
            }
            return new LossOrTheft(c.LossKind, c.DiscoveredOn, circumstances, result, by);
        }

        public LossReportFiled? DecideLossReport(RecordLossReportFiled c)
        {
            if (!Enum.IsDefined(c.Report))
            {
                Add("report", "must be the written notice or DEA Form 106.");
            }
            NotAfterToday("filedOn", c.FiledOn);
            var reference = Required("reference", c.Reference, PersonMax);
            var by = Person("filedBy", c.FiledBy);
            var loss = state.Losses.FirstOrDefault(l => l.Sequence == c.LossSequence);
            if (loss is null || loss.Reversed)
            {
                Add("lossSequence", loss is null ? $"entry {c.LossSequence} is not a loss or theft." : $"loss {c.LossSequence} was reversed.");
                return null;
            }
            if (c.FiledOn < loss.Loss.DiscoveredOn)
            {
                Add("filedOn", $"is before the loss was discovered ({Format(loss.Loss.DiscoveredOn)}).");
            }
            var already = c.Report == LossReportKind.WrittenNotice ? loss.WrittenNoticeFiledOn : loss.Form106FiledOn;
            if (already is { } on)
            {
                Add("report", $"was already recorded as filed on {Format(on)}.");
            }
            return new LossReportFiled(c.LossSequence, c.Report, c.FiledOn, reference, by);
        }

        public Correction? DecideCorrection(RecordCorrection c)
        {
            var reason = Required("reason", c.Reason, LongTextMax);
            var by = Person("correctedBy", c.CorrectedBy);
            var original = state.Entry(c.OriginalSequence);
            const string f = "originalSequence";
            if (original is null)
            {
                Add(f, $"entry {c.OriginalSequence} is not in the ledger.");
                return null;
            }
            if (state.ReversedBy(c.OriginalSequence) is { } by2)
            {
                Add(f, $"entry {c.OriginalSequence} was already reversed by entry {by2}; an entry is reversed once.");
                return null;
            }
            switch (original.Event)
            {
                case Correction:
                    Add(f, $"entry {c.OriginalSequence} is itself a correction; corrections are not reversed: record the original entry again instead.");
                    return null;
                case StockCount:
                    Add(f, $"entry {c.OriginalSequence} is a count; a count is not reversed: resolve its discrepancies with the reason, or record a new count.");
                    return null;
                case Receipt r:
                    foreach (var line in r.Containers)
                    {
                        var rec = state.ContainerRecordOf(line.ContainerId);
                        if (rec is null || !rec.InStock || rec.Withdrawals != 0 || rec.Balance != rec.Received || rec.StorageLocationId != r.StorageLocationId)
                        {
                            Add(f, $"{DescribeId(line.ContainerId, line.ProductId)} has entries after this receipt (it is {Where(rec)}); correct those first.");
                        }
                    }
                    break;
                case Transfer t:
                    {
                        var rec = state.ContainerRecordOf(t.ContainerId);
                        if (rec is null || !rec.InStock || rec.StorageLocationId != t.ToStorageLocationId || rec.LastMoveSequence != c.OriginalSequence || rec.Balance != t.Moved)
                        {
                            Add(f, $"{DescribeId(t.ContainerId, rec?.ProductId)} has entries after this transfer (it is {Where(rec)}); correct those first.");
                        }
                        break;
                    }
                case Draw:
                    {
                        var draw = state.DrawRecordOf(c.OriginalSequence)!;
                        var rec = state.ContainerRecordOf(draw.Draw.ContainerId);
                        if (draw.Administered.Micrograms != 0 || draw.Wasted.Micrograms != 0)
                        {
                            Add(f, $"draw {c.OriginalSequence} has administrations or waste recorded against it ({draw.Administered} given, {draw.Wasted} wasted); correct those first.");
                        }
                        else
                        {
                            GiveBack(f, rec, draw.Draw.ContainerId, draw.StorageLocationId);
                        }
                        break;
                    }
                case Waste { ContainerId: { } containerId }:
                    GiveBack(f, state.ContainerRecordOf(containerId), containerId, state.ContainerWasteLocation(c.OriginalSequence));
                    break;
                case LossOrTheft loss:
                    {
                        var locations = state.LossLocations(c.OriginalSequence);
                        for (var i = 0; i < loss.Lines.Count; i++)
                        {
                            var line = loss.Lines[i];
                            var rec = state.ContainerRecordOf(line.ContainerId);
                            if (line.WholeContainer)
                            {
                                if (rec?.Disposition != ContainerState.Lost)
                                {
                                    Add(f, $"{DescribeId(line.ContainerId, rec?.ProductId)} is no longer recorded as lost.");
                                }
                            }
                            else
                            {
                                GiveBack(f, rec, line.ContainerId, locations?[i]);
                            }
                        }
                        break;
                    }
                case ReturnToSupplier ret:
                    Terminal(f, ret.Containers, ContainerState.Returned);
                    break;
                case Destruction des:
                    Terminal(f, des.Containers, ContainerState.Destroyed);
                    break;
                default:
                    // Administrations, waste from a draw, report filings and resolutions reverse without conditions.
                    break;
            }
            return new Correction(c.OriginalSequence, reason, by);
        }

        public StockCount? DecideCount(RecordCount c)
        {
            if (!Enum.IsDefined(c.CountKind))
            {
                Add("countKind", "must be shift, daily, initial, biennial or annual.");
                return null;
            }
            NotAfterToday("countedOn", c.CountedOn);
            if (c.ClinicLocationId == Guid.Empty)
            {
                Add("clinicLocationId", "is required.");
            }
            var isInventory = c.CountKind is CountKind.Initial or CountKind.Biennial or CountKind.Annual;
            string? signature;
            if (isInventory)
            {
                if (c.StorageLocationId is not null)
                {
                    Add("storageLocationId", "must be empty: an inventory covers every storage place of the registered location.");
                }
                if (c.Timing is not { } timing || !Enum.IsDefined(timing))
                {
                    Add("timing", "is required: an inventory is taken at the opening or at the close of business.");
                }
                signature = Required("signature", c.Signature, ShortTextMax);
            }
            else
            {
                if (c.StorageLocationId is not { } storageId)
                {
                    Add("storageLocationId", "is required: a shift or daily count is of one storage place.");
                }
                else if (StorageFor("storageLocationId", storageId) is { } storage && storage.ClinicLocationId != c.ClinicLocationId)
                {
                    Add("storageLocationId", $"{storage.Name} is not at this clinic location.");
                }
                if (c.Timing is { } timing && !Enum.IsDefined(timing))
                {
                    Add("timing", "must be the opening or the close of business.");
                }
                signature = Optional("signature", c.Signature, ShortTextMax);
            }
            var counters = new List<string>();
            var countedBy = c.CountedBy ?? [];
            if (countedBy.Count == 0)
            {
                Add("countedBy", "must name who counted.");
            }
            for (var i = 0; i < countedBy.Count; i++)
            {
                var person = Person($"countedBy[{i}]", countedBy[i]);
                if (counters.Contains(person, StringComparer.Ordinal))
                {
                    Add($"countedBy[{i}]", "is listed twice.");
                }
                counters.Add(person);
            }
            bool InScope(ContainerView v) =>
                Reference.Storage(v.StorageLocationId) is { } s && s.ClinicLocationId == c.ClinicLocationId
                && (c.StorageLocationId is null || v.StorageLocationId == c.StorageLocationId);
            var lines = new List<CountLine>();
            var discrepancies = new List<Discrepancy>();
            var seen = new HashSet<Guid>();
            var entries = c.Lines ?? [];
            if (entries.Count > MaxLines)
            {
                Add("lines", $"must have at most {MaxLines} lines.");
                return null;
            }
            for (var i = 0; i < entries.Count; i++)
            {
                var f = $"lines[{i}]";
                if (entries[i] is not { } line)
                {
                    Add(f, "is required.");
                    continue;
                }
                if (!seen.Add(line.ContainerId))
                {
                    Add(f + ".containerId", "is counted twice.");
                    continue;
                }
                var view = state.Container(line.ContainerId);
                var product = view is null ? null : Reference.Product(view.ProductId);
                if (view is null || product is null)
                {
                    Add(f + ".containerId", $"{line.ContainerId} is not a container on the ledger.");
                    continue;
                }
                var counted = ResolveCount(f + ".counted", product, line.Counted);
                if (counted is null)
                {
                    continue;
                }
                if (line.Estimated)
                {
                    if (view.State is not (ContainerState.Open or ContainerState.Empty))
                    {
                        Add(f + ".estimated", $"{Describe(view, product)} is {view.State.ToString().ToLowerInvariant()}: only opened containers may be estimated.");
                    }
                    else if (product.UnitsPerContainer > ctx.Settings.EstimateAllowedUpToUnits.Value)
                    {
                        Add(f + ".estimated", $"{Describe(view, product)} holds more than {ctx.Settings.EstimateAllowedUpToUnits.Value} units and is counted exactly ({ctx.Settings.EstimateAllowedUpToUnits.Source}).");
                    }
                }
                var inStockHere = InScope(view) && view.State is not (ContainerState.Returned or ContainerState.Destroyed or ContainerState.Lost);
                var expected = inStockHere ? view.Balance : MassMcg.Zero;
                var difference = counted.Value - expected;
                var tolerance = line.Estimated
                    ? new MassMcg(product.MassPerContainer.Micrograms * ctx.Settings.EstimateTolerancePercent.Value / 100)
                    : MassMcg.Zero;
                if (Math.Abs(difference.Micrograms) > tolerance.Micrograms)
                {
                    discrepancies.Add(new Discrepancy(view.Id, view.ProductId, expected, counted.Value, line.Estimated));
                }
                lines.Add(new CountLine(view.Id, line.Counted, counted.Value, line.Estimated));
            }
            foreach (var missing in state.Containers.Where(v => InScope(v) && v.Balance.Micrograms > 0 && !seen.Contains(v.Id)
                && v.State is not (ContainerState.Returned or ContainerState.Destroyed or ContainerState.Lost)))
            {
                discrepancies.Add(new Discrepancy(missing.Id, missing.ProductId, missing.Balance, MassMcg.Zero, Estimated: false));
            }
            return new StockCount(c.CountKind, c.ClinicLocationId, c.StorageLocationId, c.CountedOn,
                c.Timing, lines, counters, signature, discrepancies);
        }

        public DiscrepancyResolution? DecideResolution(RecordDiscrepancyResolution c)
        {
            var reason = Required("reason", c.Reason, LongTextMax);
            var by = Person("resolvedBy", c.ResolvedBy);
            var discrepancy = state.Discrepancy(c.Discrepancy);
            if (discrepancy is null)
            {
                Add("discrepancy", $"count {c.Discrepancy.CountSequence} has no discrepancy {c.Discrepancy.Index}.");
                return null;
            }
            if (!discrepancy.IsOpen)
            {
                Add("discrepancy", $"was already resolved by entry {discrepancy.ResolvedBySequence}.");
            }
            if (ctx.Settings.ResolverMustNotHaveCounted.Value && discrepancy.CountedBy.Contains(by, StringComparer.Ordinal))
            {
                Add("resolvedBy", $"counted this stock; someone else resolves the discrepancy ({ctx.Settings.ResolverMustNotHaveCounted.Source}).");
            }
            return new DiscrepancyResolution(c.Discrepancy.CountSequence, c.Discrepancy.Index, reason, by);
        }

        // ---- helpers ----

        private IReadOnlyList<T> Lines<T>(string field, IReadOnlyList<T>? lines)
        {
            if (lines is null || lines.Count == 0)
            {
                Add(field, "must list at least one container.");
                return [];
            }
            if (lines.Count > MaxLines)
            {
                Add(field, $"must list at most {MaxLines} containers.");
                return [];
            }
            return lines;
        }

        private void NotAfterToday(string field, DateOnly day)
        {
            if (day > ctx.Today)
            {
                Add(field, $"is {Format(day)}, after today ({Format(ctx.Today)}).");
            }
        }

        private DateTimeOffset Instant(string field, DateTimeOffset value)
        {
            var at = LedgerChain.NormalizeInstant(value);
            if (at > LedgerChain.NormalizeInstant(ctx.Now))
            {
                Add(field, $"is {Format(at)}, after the moment of recording ({Format(ctx.Now)}).");
            }
            return at;
        }

        private static WitnessAttestation? Normalized(WitnessAttestation? w) =>
            w is null ? null : new WitnessAttestation(w.UserId?.Trim() ?? string.Empty, LedgerChain.NormalizeInstant(w.AuthenticatedAt));

        private void Witness(string field, WitnessAttestation w, IReadOnlyList<string> notThesePeople)
        {
            var user = Person(field + ".userId", w.UserId);
            if (user.Length > 0 && notThesePeople.Any(p => string.Equals(p?.Trim(), user, StringComparison.Ordinal)))
            {
                Add(field + ".userId", "must be someone other than the person doing or recording this.");
            }
            var maxAge = ctx.Settings.WitnessAuthenticationMaxAge;
            var age = ctx.Now - w.AuthenticatedAt;
            if (age < TimeSpan.Zero)
            {
                Add(field + ".authenticatedAt", "is after the moment of recording: the witness signs in for this entry.");
            }
            else if (age > maxAge)
            {
                Add(field + ".authenticatedAt", $"is {(long)age.TotalSeconds} seconds before the entry; the witness must sign in within {(long)maxAge.TotalSeconds} seconds of it ({ctx.Settings.WitnessAuthenticationMaxAgeSeconds.Source}).");
            }
        }

        private StorageLocation? StorageFor(string field, Guid id)
        {
            var storage = Reference.Storage(id);
            if (storage is null)
            {
                Add(field, $"{id} is not a storage place of this clinic.");
            }
            return storage;
        }

        private void RegistrationCovers(string field, StorageLocation storage, Product product, DateOnly day)
        {
            if (Reference.RegistrationFor(storage.ClinicLocationId, product.Schedule, day) is null
                && !_v.Errors.Any(e => e.Field == field && e.Message.StartsWith("has no DEA registration", StringComparison.Ordinal)))
            {
                Add(field, $"has no DEA registration for Schedule {product.Schedule} valid on {Format(day)} at the clinic location of {storage.Name}.");
            }
        }

        private ContainerRecord? InStockContainer(string field, Guid id)
        {
            var c = state.ContainerRecordOf(id);
            if (c is null)
            {
                Add(field, $"{id} is not a container on the ledger.");
                return null;
            }
            if (!c.InStock)
            {
                Add(field, $"{Describe(c)} was {c.State.ToString().ToLowerInvariant()}; nothing more can be taken from it.");
                return null;
            }
            return c;
        }

        private DrawView? StandingDraw(string field, long sequence)
        {
            var draw = state.Draw(sequence);
            if (draw is null)
            {
                Add(field, state.IsReversed(sequence) ? $"draw {sequence} was reversed." : $"entry {sequence} is not a draw.");
            }
            return draw;
        }

        private Product? ProductOf(ContainerRecord c)
        {
            var product = Reference.Product(c.ProductId);
            if (product is null)
            {
                Add("containerId", $"the product {c.ProductId} of container {c.Id} is missing from the clinic's products.");
            }
            return product;
        }

        private MassMcg? Resolve(string field, Product? product, MeasuredAmount amount)
        {
            if (product is null)
            {
                return null;
            }
            if (!Enum.IsDefined(amount.Unit))
            {
                Add(field, "has an unknown unit.");
                return null;
            }
            var (mass, error) = product.ToMass(amount);
            if (error is not null)
            {
                Add(field, error);
            }
            return mass;
        }

        private MassMcg? ResolveCount(string field, Product product, MeasuredAmount amount) =>
            amount.Value == 0 && Enum.IsDefined(amount.Unit)
                ? (product.Form, amount.Unit) is (FinishedForm.Vial, AmountUnit.Device) or (FinishedForm.NasalDevice, AmountUnit.Microlitre)
                    ? Resolve(field, product, amount with { Value = 1 }) // reports the unit error
                    : MassMcg.Zero
                : Resolve(field, product, amount);

        private void NotBelowZero(string field, ContainerRecord c, Product product, MassMcg mass, string verb)
        {
            if (mass > c.Balance)
            {
                Add(field, $"{Describe(c, product)} holds {product.Describe(c.Balance)}; {verb} {product.Describe(mass)} would take it {product.Describe(mass - c.Balance)} below zero.");
            }
        }

        private void NotAboveDraw(string field, DrawView draw, Product product, MassMcg mass, string verb)
        {
            if (mass > draw.Remaining)
            {
                Add(field, $"draw {draw.Sequence} ({product.Describe(draw.Drawn)} drawn) has {product.Describe(draw.Remaining)} left; {verb} {product.Describe(mass)} is {product.Describe(mass - draw.Remaining)} more than that.");
            }
        }

        private List<ContainerAmount> WholeContainers(string field, IReadOnlyList<Guid>? ids, string verb)
        {
            var list = Lines(field, ids);
            var seen = new HashSet<Guid>();
            var result = new List<ContainerAmount>();
            for (var i = 0; i < list.Count; i++)
            {
                if (!seen.Add(list[i]))
                {
                    Add($"{field}[{i}]", "appears twice.");
                    continue;
                }
                var c = InStockContainer($"{field}[{i}]", list[i]);
                if (c is null)
                {
                    continue;
                }
                if (c.Balance.Micrograms <= 0)
                {
                    Add($"{field}[{i}]", $"{Describe(c)} is empty; there is nothing to be {verb}.");
                    continue;
                }
                result.Add(new ContainerAmount(c.Id, c.Balance));
            }
            return result;
        }

        private void GiveBack(string field, ContainerRecord? rec, Guid containerId, Guid? wasAt)
        {
            if (rec is null || !rec.InStock)
            {
                Add(field, $"{DescribeId(containerId, rec?.ProductId)} is {Where(rec)}; reverse that first.");
            }
            else if (wasAt is { } location && rec.StorageLocationId != location)
            {
                Add(field, $"{Describe(rec)} has moved to {StorageName(rec.StorageLocationId)} since; reverse the transfer first.");
            }
        }

        private void Terminal(string field, IReadOnlyList<ContainerAmount> containers, ContainerState expected)
        {
            foreach (var line in containers)
            {
                var rec = state.ContainerRecordOf(line.ContainerId);
                if (rec?.Disposition != expected)
                {
                    Add(field, $"{DescribeId(line.ContainerId, rec?.ProductId)} is {Where(rec)}, not {expected.ToString().ToLowerInvariant()}.");
                }
            }
        }

        private string Where(ContainerRecord? rec) =>
            rec is null ? "no longer on the ledger"
            : $"{rec.State.ToString().ToLowerInvariant()} in {StorageName(rec.StorageLocationId)} holding {ProductDescribe(rec.ProductId, rec.Balance)}";

        private string StorageName(Guid id) => Reference.Storage(id)?.Name ?? id.ToString();

        private string ProductDescribe(Guid productId, MassMcg mass) => Reference.Product(productId)?.Describe(mass) ?? mass.ToString();

        private string Describe(ContainerRecord c, Product? product = null) =>
            $"container {ShortId(c.Id)} (lot {c.Lot}, {(product ?? Reference.Product(c.ProductId))?.Description ?? "product " + c.ProductId})";

        private static string Describe(ContainerView c, Product product) => $"container {ShortId(c.Id)} (lot {c.Lot}, {product.Description})";

        private string DescribeId(Guid id, Guid? productId) =>
            state.ContainerRecordOf(id) is { } c ? Describe(c)
            : $"container {ShortId(id)}{(productId is { } p && Reference.Product(p) is { } pr ? " (" + pr.Description + ")" : string.Empty)}";

        private static string ShortId(Guid id) => id.ToString("N")[..8];
    }
}
