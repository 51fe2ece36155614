using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace KetaClinic.E2E;

/// <summary>A nurse completes an overdue esketamine REMS Patient Monitoring Form on its page and marks it sent.</summary>
public sealed class RemsFormInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_nurse_sees_a_refused_value_beside_its_field_fills_every_missing_field_and_marks_the_form_sent()
    {
        // The demo's ended esketamine sessions have no session events: their forms miss the vitals, lot and more.
        using var http = await clinic.ApiAsync("nurse@demo.clinic");
        var overdue = await http.GetFromJsonAsync<JsonElement>("/api/rems/overdue");
        Assert.True(overdue.GetArrayLength() > 0, "the demo data should have an ended esketamine session whose form is overdue");
        var item = overdue.EnumerateArray().First();
        var id = item.GetProperty("sessionId").GetString()!;
        var treatmentDate = DateOnly.Parse(item.GetProperty("treatmentDate").GetString()!, CultureInfo.InvariantCulture);
        var form = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/rems-form");
        var missing = form.GetProperty("missingFields").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains("bloodPressureAt40Minutes", missing);

        var page = await clinic.SignedInAsync("nurse@demo.clinic");

        // From the overdue list to the form's edit page.
        await page.GotoAsync("/rems");
        await page.ClickAsync($"[data-testid=rems-overdue-row] a[href='sessions/{id}/rems/edit']");
        await page.WaitForURLAsync($"**/sessions/{id}/rems/edit", RunningClinic.Navigation);

        // The edit page and the printable form link to each other while the form is not sent.
        await page.ClickAsync("[data-testid=rems-print-link]");
        await page.WaitForURLAsync($"**/sessions/{id}/rems", RunningClinic.Navigation);
        await page.ClickAsync("[data-testid=rems-edit-link]");
        await page.WaitForURLAsync($"**/sessions/{id}/rems/edit", RunningClinic.Navigation);
        var listed = page.Locator("[data-testid=rems-missing-field]");
        await Assertions.Expect(listed).ToHaveCountAsync(missing.Count, Slow);

        // Every missing field filled, but one blood pressure implausible: refused beside that field, nothing saved.
        foreach (var field in missing)
        {
            await FillAsync(page, field, treatmentDate);
        }

        await page.FillAsync("[data-testid=rems-input-bloodPressureAt40Minutes-systolic]", "400");
        await page.ClickAsync("[data-testid=rems-save]");
        var bpError = page.Locator("[data-testid=rems-field-bloodPressureAt40Minutes] [data-testid=rems-error-bloodPressureAt40Minutes]");
        await Assertions.Expect(bpError).ToContainTextAsync("plausible");
        await Assertions.Expect(page.Locator("[data-testid=rems-problem]")).ToContainTextAsync("Nothing was saved");
        await Assertions.Expect(listed).ToHaveCountAsync(missing.Count);
        var unchanged = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/rems-form");
        Assert.Equal(missing.Count, unchanged.GetProperty("missingFields").GetArrayLength());

        // Corrected: the missing list empties and the form can be marked as sent.
        await page.FillAsync("[data-testid=rems-input-bloodPressureAt40Minutes-systolic]", "126");
        await page.ClickAsync("[data-testid=rems-save]");
        await Assertions.Expect(page.Locator("[data-testid=rems-saved]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=rems-missing]")).ToHaveCountAsync(0);
        await Assertions.Expect(listed).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=rems-error-bloodPressureAt40Minutes]")).ToHaveCountAsync(0);

        await Assertions.Expect(page.Locator("[data-testid=rems-submitted-on]")).Not.ToHaveValueAsync("");
        await page.FillAsync("[data-testid=rems-reference]", "REMS-E2E-7731");
        await page.ClickAsync("[data-testid=rems-mark-sent]");
        await Assertions.Expect(page.Locator("[data-testid=rems-submitted]")).ToContainTextAsync("Sent on");
        await Assertions.Expect(page.Locator("[data-testid=rems-submitted]")).ToContainTextAsync("REMS-E2E-7731");
        await Assertions.Expect(page.Locator("[data-testid=rems-mark-sent]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=rems-save]")).ToHaveCountAsync(0);

        // The printable form shows it sent, with no link to edit it any more.
        await page.ClickAsync("[data-testid=rems-print-link]");
        await page.WaitForURLAsync($"**/sessions/{id}/rems", RunningClinic.Navigation);
        await Assertions.Expect(page.Locator("[data-testid=rems-submitted]")).ToContainTextAsync("Sent on");
        await Assertions.Expect(page.Locator("[data-testid=rems-submitted]")).ToContainTextAsync("REMS-E2E-7731");
        await Assertions.Expect(page.Locator("[data-testid=rems-missing]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=rems-edit-link]")).ToHaveCountAsync(0);
        var after = await http.GetFromJsonAsync<JsonElement>("/api/rems/overdue");
        Assert.DoesNotContain(after.EnumerateArray(), o => o.GetProperty("sessionId").GetString() == id);
        await page.Context.CloseAsync();
    }

    /// <summary>A plausible value for one missing field, typed the way a nurse would.</summary>
    private static async Task FillAsync(IPage page, string field, DateOnly treatmentDate)
    {
        string Input(string suffix = "") => $"[data-testid=rems-input-{field}{suffix}]";
        var input = Input();
        var day = treatmentDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (field)
        {
            case "dateOfBirth":
                await page.FillAsync(input, "1980-04-12");
                break;
            case "treatmentDate":
                await page.FillAsync(input, day);
                break;
            case "sex":
                await page.SelectOptionAsync(input, "female");
                break;
            case "dose":
                await page.FillAsync(input, "56");
                break;
            case "totalMinutesFirstDeviceToEndOfMonitoring":
                await page.FillAsync(input, "125");
                break;
            case "readyToLeaveWithoutTwoHourRuleMinutes":
                await page.FillAsync(input, "95");
                break;
            case "bloodPressureBeforeDosing" or "bloodPressureAt40Minutes" or "bloodPressureBeforeCompletion":
                await page.FillAsync(Input("-systolic"), "124");
                await page.FillAsync(Input("-diastolic"), "80");
                await page.FillAsync(Input("-measured-at"), day + (field switch { "bloodPressureBeforeDosing" => "T09:55", "bloodPressureAt40Minutes" => "T10:40", _ => "T12:00" }));
                break;
            case "monitoringClinicianPhone":
                await page.FillAsync(input, "+1 217 555 0100");
                break;
            case "monitoringClinicianEmail":
                await page.FillAsync(input, "robin.park@demo.clinic");
                break;
            case "patientName" or "monitoringClinicianName" or "settingName" or "settingAddress" or "lot":
                await page.FillAsync(input, field switch
                {
                    "patientName" => "Demo Patient",
                    "monitoringClinicianName" => "Maria Chen, RN",
                    "settingName" => "KetaClinic Springfield",
                    "settingAddress" => "1 Main St, Springfield",
                    _ => "ESK-E2E-LOT",
                });
                break;
            default:
                // Yes/no questions: the vitals were acceptable, the rest did not happen.
                await page.CheckAsync(Input(field.StartsWith("vitalsAcceptable", StringComparison.Ordinal) || field == "enrolled" ? "-yes" : "-no"));
                break;
        }
    }
}
