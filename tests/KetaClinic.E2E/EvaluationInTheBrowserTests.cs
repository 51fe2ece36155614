using System.Globalization;
using System.Text.RegularExpressions;
using KetaClinic.Domain.Evaluation;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

public sealed partial class EvaluationInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task A_request_from_the_public_page_becomes_a_booked_patient_who_is_evaluated_signed_off_and_consents_with_a_drawn_signature()
    {
        var family = "Quill" + Guid.NewGuid().ToString("N")[..5];
        Directory.CreateDirectory("screenshots");

        // 1. A person asks for a consultation on the public page, without an account.
        await using var publicContext = await clinic.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = clinic.BaseUrl });
        var visitor = await publicContext.NewPageAsync();
        visitor.SetDefaultTimeout(60_000);
        await visitor.GotoAsync("/request");
        await visitor.FillAsync("#givenName", "Iris");
        await visitor.FillAsync("#familyName", family);
        await visitor.FillAsync("#phone", "+1 217 555 0188");
        await visitor.FillAsync("#email", "iris@example.org");
        await visitor.FillAsync("#preferredContactTimes", "weekday afternoons");
        await visitor.FillAsync("#triedSoFar", "Sertraline and venlafaxine, and a year of CBT.");
        await visitor.FillAsync("#heardAbout", "my psychiatrist");
        await visitor.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(visitor.Locator("[data-testid=request-done]")).ToContainTextAsync("Thank you");

        // 2. The front desk finds the request in its queue, registers the patient and books the consultation.
        var desk = await clinic.SignedInAsync("frontdesk@demo.clinic");
        await desk.GotoAsync("/leads");
        var row = desk.Locator("[data-testid=lead-row]", new() { HasTextString = family });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-testid=lead-status]")).ToHaveTextAsync("new");
        await row.Locator("[data-testid=lead-convert]").ClickAsync();
        await Assertions.Expect(desk.Locator("#legalFamilyName")).ToHaveValueAsync(family);
        await desk.FillAsync("[data-testid=dob]", "1986-04-12");
        await desk.SelectOptionAsync("[data-testid=sex]", "female");
        var day = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(8);
        await desk.FillAsync("[data-testid=consultation-start]", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00");
        await desk.SelectOptionAsync("[data-testid=consultation-physician]", new SelectOptionValue { Label = "Dr. Priya Raman" });
        await desk.ClickAsync("[data-testid=convert-submit]");
        await Assertions.Expect(desk.Locator("[data-testid=conversion-done]")).ToContainTextAsync("Dr. Priya Raman");
        await desk.ClickAsync("[data-testid=converted-patient]");
        await desk.WaitForURLAsync(url => PatientUrl().IsMatch(url), RunningClinic.Navigation);
        var patientId = PatientUrl().Match(desk.Url).Groups["id"].Value;
        await desk.Context.CloseAsync();

        // 3. The physician evaluates: the decision support answers live, with every reason's rule and source.
        var physician = await clinic.SignedInAsync("physician@demo.clinic");
        await physician.GotoAsync($"/patients/{patientId}/evaluation");
        await Assertions.Expect(physician.Locator("[data-testid=readiness-iv]")).ToContainTextAsync("No signed eligibility evaluation");
        await physician.ClickAsync("[data-testid=start-evaluation]");
        await physician.WaitForURLAsync(url => url.Contains("/evaluations/", StringComparison.Ordinal), RunningClinic.Navigation);
        await Assertions.Expect(physician.Locator("[data-testid=decision]")).ToHaveTextAsync("needs-review");

        var onset = day.AddMonths(-16);
        await physician.FillAsync("[data-testid=ev-onset]", onset.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await physician.SelectOptionAsync("[data-testid=ev-severity]", "severe-without-psychosis");
        await AddTrialAsync(physician, 0, "sertraline", "150", "8", "no-response");
        await AddTrialAsync(physician, 1, "venlafaxine", "225", "10", "partial-response");
        await physician.SelectOptionAsync("[data-testid=ev-augmentation]", "no");
        await physician.SelectOptionAsync("[data-testid=ev-ect]", "not-received");
        await physician.SelectOptionAsync("[data-testid=ev-meds-status]", "none");
        foreach (var rule in ContraindicationRules.All)
        {
            await physician.SelectOptionAsync($"[data-testid=screening-{rule.Code}]", "no");
        }
        await physician.FillAsync("[data-testid=ev-systolic]", "126");
        await physician.FillAsync("[data-testid=ev-diastolic]", "80");
        await physician.FillAsync("[data-testid=ev-hr]", "70");
        await physician.FillAsync("[data-testid=measurement-value]", "68.5");
        await physician.ClickAsync("[data-testid=record-measurement]");
        await Assertions.Expect(physician.Locator("[data-testid=latest-weight]")).ToHaveTextAsync("68.5 kg");
        await Assertions.Expect(physician.Locator("[data-testid=decision]")).ToHaveTextAsync("eligible");
        await Assertions.Expect(physician.Locator("[data-testid=trd-status]")).ToHaveTextAsync("met");
        var trdReason = physician.Locator("[data-testid=reasons] [data-code=trd-met]");
        await Assertions.Expect(trdReason).ToContainTextAsync("REFERENCE.md §3");
        await physician.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "evaluation-decision-support.png"), FullPage = true });

        // 4. Sign-off accepts the result and locks the evaluation.
        await physician.SelectOptionAsync("[data-testid=signoff-outcome]", "accept");
        await physician.ClickAsync("[data-testid=sign-off]");
        await Assertions.Expect(physician.Locator("[data-testid=evaluation-status]")).ToHaveTextAsync("signed");
        await Assertions.Expect(physician.Locator("[data-testid=signoff]")).ToContainTextAsync("Signed off: eligible");
        await Assertions.Expect(physician.Locator("[data-testid=save-evaluation]")).ToHaveCountAsync(0);

        // 5. The patient reads the IV consent, types their name and signs in the box; the physician countersigns.
        await physician.GotoAsync($"/patients/{patientId}/consents/new?route=iv");
        await Assertions.Expect(physician.Locator("[data-testid=consent-risks]")).ToContainTextAsync("no driving until the next day");
        await physician.FillAsync("[data-testid=consent-typed-name]", $"Iris {family}");
        var pad = physician.Locator("[data-testid=signature-pad][data-ready='1']");
        await Assertions.Expect(pad).ToHaveCountAsync(1);
        await pad.ScrollIntoViewIfNeededAsync(); // mouse coordinates are the viewport's
        var box = (await pad.BoundingBoxAsync())!;
        await physician.Mouse.MoveAsync(box.X + (box.Width * 0.1f), box.Y + (box.Height * 0.6f));
        await physician.Mouse.DownAsync();
        foreach (var (fx, fy) in new[] { (0.2f, 0.3f), (0.3f, 0.7f), (0.4f, 0.35f), (0.5f, 0.65f), (0.6f, 0.4f), (0.75f, 0.55f), (0.9f, 0.45f) })
        {
            await physician.Mouse.MoveAsync(box.X + (box.Width * fx), box.Y + (box.Height * fy), new MouseMoveOptions { Steps = 4 });
        }
        await physician.Mouse.UpAsync();
        await physician.ClickAsync("[data-testid=consent-sign]");
        await Assertions.Expect(physician.Locator("[data-testid=consent-status]")).ToHaveTextAsync("awaiting-countersignature");
        await Assertions.Expect(physician.Locator("[data-testid=consent-signed] svg.signature path")).ToHaveCountAsync(1);
        await physician.CheckAsync("[data-testid=countersign-confirm]");
        await physician.ClickAsync("[data-testid=countersign]");
        await Assertions.Expect(physician.Locator("[data-testid=consent-status]")).ToHaveTextAsync("active");
        await physician.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "consent-signed.png"), FullPage = true });

        // Ready for IV treatment; still not for esketamine, whose consent (and REMS enrolment) is missing.
        await physician.GotoAsync($"/patients/{patientId}/evaluation");
        await Assertions.Expect(physician.Locator("[data-testid=readiness-iv]")).ToContainTextAsync("Ready");
        await Assertions.Expect(physician.Locator("[data-testid=readiness-intranasal-esketamine]")).ToContainTextAsync("REMS");
        await physician.Context.CloseAsync();
    }

    private static async Task AddTrialAsync(IPage page, int n, string drug, string dose, string weeks, string outcome)
    {
        await page.ClickAsync("[data-testid=add-trial]");
        await page.FillAsync($"[data-testid=trial-{n}-drug]", drug);
        await page.FillAsync($"[data-testid=trial-{n}-dose]", dose);
        await page.FillAsync($"[data-testid=trial-{n}-weeks]", weeks);
        await page.SelectOptionAsync($"[data-testid=trial-{n}-outcome]", outcome);
        await page.SelectOptionAsync($"[data-testid=trial-{n}-episode]", "yes");
    }

    [GeneratedRegex("/patients/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex PatientUrl();
}
