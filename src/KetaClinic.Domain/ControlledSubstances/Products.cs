using System.Globalization;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.ControlledSubstances;

public enum ControlledDrug
{
    KetamineHydrochloride,
    EsketamineHydrochloride,
}

public enum FinishedForm
{
    Vial,
    NasalDevice,
}

/// <summary>What the ledger knows of a drug: its schedule and DEA drug code, each with a source.</summary>
public sealed record ControlledDrugFacts(ControlledDrug Drug, string Name, DeaSchedule Schedule, SourcedSetting<string> DeaDrugCode);

/// <summary>
/// Schedule and drug code per drug. REFERENCE.md §8 gives ketamine's code (7285) and says esketamine is also
/// Schedule III but names no code of its own; esketamine is an isomer of ketamine, so the ketamine code is the
/// default, held as data with that note so a clinic can change it.
/// </summary>
public static class ControlledDrugCatalogue
{
    public static ControlledDrugFacts Ketamine { get; } = new(
        ControlledDrug.KetamineHydrochloride, "Ketamine HCl", DeaSchedule.III,
        new("7285", "REFERENCE.md §8: ketamine, Schedule III since 12 Aug 1999, DEA drug code 7285"));

    public static ControlledDrugFacts Esketamine { get; } = new(
        ControlledDrug.EsketamineHydrochloride, "Esketamine HCl", DeaSchedule.III,
        new("7285", "REFERENCE.md §8 names esketamine Schedule III without a code; ketamine's code 7285 covers its isomers [open: confirm]"));

    public static ControlledDrugFacts For(ControlledDrug drug) => drug switch
    {
        ControlledDrug.KetamineHydrochloride => Ketamine,
        ControlledDrug.EsketamineHydrochloride => Esketamine,
        _ => throw new ArgumentOutOfRangeException(nameof(drug), drug, "is not a drug this ledger keeps."),
    };
}

/// <summary>
/// A stocked product: drug, finished form, strength and units per container (21 CFR 1304.22(c)), with its NDC.
/// A vial's contents are tracked by mass (micrograms) and always correspond to a whole number of microlitres;
/// a nasal device kit's by mass and whole devices.
/// </summary>
public sealed record Product
{
    private Product(Guid id, ControlledDrugFacts drug, string deaDrugCode, FinishedForm form, Ndc ndc,
        ConcentrationMcgPerMl? concentration, VolumeUl? volumePerContainer, MassMcg? massPerDevice, int? devicesPerContainer, MassMcg massPerContainer)
    {
        Id = id;
        Drug = drug.Drug;
        Schedule = drug.Schedule;
        DrugName = drug.Name;
        DeaDrugCode = deaDrugCode;
        Form = form;
        Ndc = ndc;
        Concentration = concentration;
        VolumePerContainer = volumePerContainer;
        MassPerDevice = massPerDevice;
        DevicesPerContainer = devicesPerContainer;
        MassPerContainer = massPerContainer;
    }

    public Guid Id { get; }
    public ControlledDrug Drug { get; }
    public string DrugName { get; }
    public DeaSchedule Schedule { get; }
    public string DeaDrugCode { get; }
    public FinishedForm Form { get; }
    public Ndc Ndc { get; }

    /// <summary>Vials only.</summary>
    public ConcentrationMcgPerMl? Concentration { get; }

    /// <summary>Vials only.</summary>
    public VolumeUl? VolumePerContainer { get; }

    /// <summary>Nasal devices only.</summary>
    public MassMcg? MassPerDevice { get; }

    /// <summary>Nasal devices only.</summary>
    public int? DevicesPerContainer { get; }

    public MassMcg MassPerContainer { get; }

    /// <summary>Units per container in the count's sense (mL of a vial, devices of a kit), for the estimate rule.</summary>
    public decimal UnitsPerContainer => Form == FinishedForm.Vial ? VolumePerContainer!.Value.Millilitres : DevicesPerContainer!.Value;

    public string Description => Form == FinishedForm.Vial
        ? $"{DrugName} {Concentration}, {VolumePerContainer} vial (NDC {Ndc})"
        : $"{DrugName} {MassPerDevice} nasal device, {DevicesPerContainer} per kit (NDC {Ndc})";

    public static Product Vial(Guid id, ControlledDrug drug, string ndc, ConcentrationMcgPerMl concentration, VolumeUl volumePerContainer, string? deaDrugCode = null)
    {
        var v = Common(id, drug, ndc, deaDrugCode, out var facts, out var parsedNdc, out var code);
        MassMcg? total = null;
        if (concentration.MicrogramsPerMillilitre <= 0 || concentration.MicrogramsPerMillilitre > Quantity.MaxMagnitude)
        {
            v.Add("concentration", "must be above 0 mg/mL.");
        }
        else if (concentration.MicrogramsPerMillilitre % MassMcg.MicrogramsPerMilligram != 0)
        {
            // Whole mg/mL keeps every whole-microlitre volume a whole number of micrograms.
            v.Add("concentration", "must be a whole number of mg/mL.");
        }
        if (volumePerContainer.Microlitres <= 0 || volumePerContainer.Microlitres > 1_000_000)
        {
            v.Add("volumePerContainer", "must be above 0 mL and at most 1000 mL.");
        }
        else if (v.IsValid)
        {
            total = concentration.MassIn(volumePerContainer);
        }
        Throw(v);
        return new Product(id, facts!, code!, FinishedForm.Vial, parsedNdc!, concentration, volumePerContainer, null, null, total!.Value);
    }

    public static Product NasalDevice(Guid id, ControlledDrug drug, string ndc, MassMcg massPerDevice, int devicesPerContainer, string? deaDrugCode = null)
    {
        var v = Common(id, drug, ndc, deaDrugCode, out var facts, out var parsedNdc, out var code);
        if (massPerDevice.Micrograms <= 0 || massPerDevice.Micrograms > Quantity.MaxMagnitude)
        {
            v.Add("massPerDevice", "must be above 0 mg.");
        }
        if (devicesPerContainer is < 1 or > 100)
        {
            v.Add("devicesPerContainer", "must be between 1 and 100.");
        }
        Throw(v);
        return new Product(id, facts!, code!, FinishedForm.NasalDevice, parsedNdc!, null, null, massPerDevice, devicesPerContainer, massPerDevice * devicesPerContainer);
    }

    /// <summary>
    /// The mass an entered amount stands for, or an error sentence. Nothing is rounded: an amount that is not a
    /// whole number of microlitres (vials) or micrograms is refused.
    /// </summary>
    public (MassMcg? Mass, string? Error) ToMass(MeasuredAmount amount)
    {
        if (amount.Value <= 0)
        {
            return (null, "must be more than zero.");
        }
        if (amount.Value > Quantity.MaxMagnitude)
        {
            return (null, $"{amount} is beyond any container of {DrugName}.");
        }
        return (Form, amount.Unit) switch
        {
            (FinishedForm.Vial, AmountUnit.Microlitre) => Concentration!.Value.MassIn(new VolumeUl(amount.Value)) is { } m
                ? (m, null)
                : (null, $"{amount} at {Concentration} is not a whole number of micrograms."),
            (FinishedForm.Vial, AmountUnit.Microgram) => Concentration!.Value.VolumeOf(new MassMcg(amount.Value)) is not null
                ? (new MassMcg(amount.Value), null)
                : (null, $"{amount} at {Concentration} is not a whole number of microlitres; enter the volume instead."),
            (FinishedForm.Vial, AmountUnit.Device) => (null, "a vial is measured in mL or mg, not in devices."),
            (FinishedForm.NasalDevice, AmountUnit.Device) => (MassPerDevice!.Value * amount.Value, null),
            (FinishedForm.NasalDevice, AmountUnit.Microgram) => (new MassMcg(amount.Value), null),
            _ => (null, "a nasal device is counted in devices or mg, not in mL."),
        };
    }

    /// <summary>The mass as a person reads it on this product: "0.5 mL (25 mg)" or "2 devices (56 mg)".</summary>
    public string Describe(MassMcg mass)
    {
        if (Form == FinishedForm.Vial && Concentration!.Value.VolumeOf(mass) is { } volume)
        {
            return $"{volume} ({mass})";
        }
        if (Form == FinishedForm.NasalDevice && mass.Micrograms % MassPerDevice!.Value.Micrograms == 0)
        {
            var devices = mass.Micrograms / MassPerDevice.Value.Micrograms;
            return $"{devices.ToString(CultureInfo.InvariantCulture)} {(devices == 1 ? "device" : "devices")} ({mass})";
        }
        return mass.ToString();
    }

    private static Validator Common(Guid id, ControlledDrug drug, string ndc, string? deaDrugCode, out ControlledDrugFacts? facts, out Ndc? parsedNdc, out string? code)
    {
        var v = new Validator();
        facts = null;
        if (id == Guid.Empty)
        {
            v.Add("id", "is required.");
        }
        if (Enum.IsDefined(drug))
        {
            facts = ControlledDrugCatalogue.For(drug);
        }
        else
        {
            v.Add("drug", "must be ketamine HCl or esketamine HCl.");
        }
        if (!ControlledSubstances.Ndc.TryParse(ndc, out parsedNdc))
        {
            v.Add("ndc", ControlledSubstances.Ndc.Rule);
        }
        code = (deaDrugCode ?? facts?.DeaDrugCode.Value)?.Trim();
        if (code is null || code.Length != 4 || !code.All(char.IsAsciiDigit))
        {
            v.Add("deaDrugCode", "must be a four-digit DEA drug code such as 7285.");
        }
        return v;
    }

    private static void Throw(Validator v)
    {
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
    }
}
