using Microsoft.Playwright;

namespace KetaClinic.E2E;

public sealed class RegistryInTheBrowserTests(RunningClinic clinic) : IClassFixture<RunningClinic>
{
    [Fact]
    public async Task Front_desk_logs_in_registers_a_patient_finds_them_and_opens_the_record()
    {
        var page = await clinic.SignedInAsync("frontdesk@demo.clinic");
        await page.GotoAsync("/patients/new");
        var family = "Okonkwo" + Guid.NewGuid().ToString("N")[..5];

        // A first try with a birth date in the future: the error shows beside the field, nothing is saved.
        await page.FillAsync("#legalGivenName", "Adaeze");
        await page.FillAsync("#legalFamilyName", family);
        await page.FillAsync("#dateOfBirth", "2999-01-01");
        await page.SelectOptionAsync("#sex", "female");
        await page.FillAsync("#phone", "+1 217 555 0177");
        await page.FillAsync("#companionName", "Chidi " + family);
        await page.FillAsync("#companionPhone", "+1 217 555 0178");
        await page.ClickAsync("[data-testid=save-patient]");
        await Assertions.Expect(page.Locator("#dateOfBirth ~ .field-error")).ToContainTextAsync("must not be in the future");

        await page.FillAsync("#dateOfBirth", "1979-11-02");
        await page.ClickAsync("[data-testid=save-patient]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/patients/[0-9a-f-]{36}$"), RunningClinic.Navigation);
        await Assertions.Expect(page.Locator("[data-testid=patient-name]")).ToContainTextAsync(family);
        var mrn = await page.Locator("[data-testid=patient-mrn]").InnerTextAsync();

        await page.GotoAsync("/patients");
        await page.FillAsync("#q", family);
        await page.ClickAsync("[data-testid=search]");
        var row = page.Locator("[data-testid=results] a", new() { HasTextString = family });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=patient-mrn]")).ToHaveTextAsync(mrn);
        await Assertions.Expect(page.Locator("[data-testid=companion]")).ToContainTextAsync("Chidi");
        Directory.CreateDirectory("screenshots");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine("screenshots", "patient-record.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error()
    {
        var page = await clinic.LoginAsync("frontdesk@demo.clinic", "not-the-password");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("email or password is not correct");
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_nurse_cannot_reach_user_administration()
    {
        var page = await clinic.SignedInAsync("nurse@demo.clinic");
        await Assertions.Expect(page.Locator("nav >> text=Users")).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/users");
        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=users]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_sees_users_and_verifies_the_audit_chain()
    {
        var page = await clinic.SignedInAsync("admin@demo.clinic");
        await page.GotoAsync("/admin/users");
        await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync("nurse@demo.clinic");
        await page.GotoAsync("/admin/audit");
        await page.ClickAsync("[data-testid=verify-chain]");
        await Assertions.Expect(page.Locator("[data-testid=chain-status]")).ToContainTextAsync("Chain intact");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_physician_records_a_diagnosis_an_allergy_and_a_weight_on_the_record()
    {
        var page = await clinic.SignedInAsync("physician@demo.clinic");
        await page.GotoAsync("/patients/new");
        var family = "Haddad" + Guid.NewGuid().ToString("N")[..5];
        await page.FillAsync("#legalGivenName", "Rami");
        await page.FillAsync("#legalFamilyName", family);
        await page.FillAsync("#dateOfBirth", "1971-04-09");
        await page.SelectOptionAsync("#sex", "male");
        await page.FillAsync("#email", "rami@example.org");
        await page.ClickAsync("[data-testid=save-patient]");
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/patients/[0-9a-f-]{36}$"), RunningClinic.Navigation);

        // A malformed ICD-10-CM code: the message sits beside the code field and nothing is added.
        await page.FillAsync("#dx-code", "DEPRESSION");
        await page.ClickAsync("[data-testid=add-diagnosis]");
        await Assertions.Expect(page.Locator("#dx-code ~ .field-error")).ToContainTextAsync("ICD-10-CM");
        await Assertions.Expect(page.Locator("[data-testid=diagnoses] tbody tr")).ToHaveCountAsync(0);

        await page.FillAsync("#dx-code", "F33.2");
        await page.FillAsync("#dx-description", "MDD, recurrent, severe");
        await page.ClickAsync("[data-testid=add-diagnosis]");
        await Assertions.Expect(page.Locator("[data-testid=diagnoses] tbody tr")).ToContainTextAsync("F33.2");

        await page.FillAsync("#allergy-substance", "Penicillin");
        await page.ClickAsync("[data-testid=add-allergy]");
        await Assertions.Expect(page.Locator(".allergy-flag")).ToContainTextAsync("Penicillin");

        await page.FillAsync("#m-value", "81.4");
        await page.ClickAsync("[data-testid=record-measurement]");
        await Assertions.Expect(page.Locator("[data-testid=measurements] tbody tr")).ToContainTextAsync("81.4 kg");

        // Everything survives a reload: it was saved, not only shown.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=diagnoses] tbody tr")).ToContainTextAsync("F33.2");
        await Assertions.Expect(page.Locator("[data-testid=measurements] tbody tr")).ToContainTextAsync("81.4 kg");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_front_desk_sees_contacts_but_not_diagnoses()
    {
        var page = await clinic.SignedInAsync("frontdesk@demo.clinic");
        await page.GotoAsync("/patients");
        await page.FillAsync("#q", "a");
        await page.ClickAsync("[data-testid=search]");
        await page.Locator("[data-testid=results] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=companion]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=diagnoses]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_administrator_adds_a_user_and_a_weak_password_is_explained_beside_the_field()
    {
        var page = await clinic.SignedInAsync("admin@demo.clinic");
        await page.GotoAsync("/admin/users");
        var email = $"new-nurse-{Guid.NewGuid():N}@clinic.example";
        await page.FillAsync("#new-name", "Nia Nurse");
        await page.FillAsync("#new-email", email);
        await page.SelectOptionAsync("#new-role", "Nurse");
        await page.FillAsync("#new-password", "short");
        await page.ClickAsync("[data-testid=add-user]");
        await Assertions.Expect(page.Locator("#new-password ~ .field-error").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=users]")).Not.ToContainTextAsync(email);

        await page.FillAsync("#new-password", "Nia-Passphrase-2026");
        await page.ClickAsync("[data-testid=add-user]");
        await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync(email);
        await page.Context.CloseAsync();
    }
}
