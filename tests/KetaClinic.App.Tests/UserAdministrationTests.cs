using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Features.Users;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

public abstract class UserAdministrationTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string StrongPassword = "Nurse-Passphrase-2026";

    private ClinicAppFactory App => fixture.App;

    private static string NewEmail() => $"staff-{Guid.NewGuid():N}@clinic.example";

    private async Task<UserView> CreateAsync(string email, params string[] roles)
    {
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var response = await admin.PostAsJsonAsync("/api/users", new { email, displayName = "New Staff", roles, password = StrongPassword });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserView>(Json))!;
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password)
    {
        using var client = await App.ClientForAsync(null);
        return await client.PostAsJsonAsync("/api/auth/login", new { email, password });
    }

    [Fact]
    public async Task An_administrator_adds_a_nurse_who_can_then_log_in_with_that_role()
    {
        var email = NewEmail();
        var user = await CreateAsync(email, ClinicRoles.Nurse);
        Assert.Equal([ClinicRoles.Nurse], user.Roles);
        var login = await LoginAsync(email, StrongPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var client = await App.ClientForAsync(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(ClinicRoles.Nurse, me.GetProperty("roles")[0].GetString());
    }

    public static TheoryData<string, string> BadUsers => new()
    {
        { """{"email":"not-an-email","displayName":"X","roles":["Nurse"],"password":"Nurse-Passphrase-2026"}""", "email" },
        { """{"email":"ok@clinic.example","displayName":"X","roles":["Janitor"],"password":"Nurse-Passphrase-2026"}""", "roles" },
        { """{"email":"ok@clinic.example","displayName":"X","roles":[],"password":"Nurse-Passphrase-2026"}""", "roles" },
        { """{"email":"ok2@clinic.example","displayName":"X","roles":["Nurse"],"password":"short1A"}""", "password" },
        { """{"email":"ok3@clinic.example","displayName":"","roles":["Nurse"],"password":"Nurse-Passphrase-2026"}""", "displayName" },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task Bad_user_input_is_a_400_naming_the_field_and_no_account_is_made(string body, string field)
    {
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        await using var db = App.NewDbContext();
        var before = await db.Users.CountAsync();
        var response = await admin.PostAsync("/api/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_second_account_with_the_same_email_is_refused()
    {
        var email = NewEmail();
        await CreateAsync(email, ClinicRoles.FrontDesk);
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var again = await admin.PostAsJsonAsync("/api/users", new { email, displayName = "Twin", roles = new[] { ClinicRoles.Nurse }, password = StrongPassword });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task A_deactivated_account_cannot_log_in_even_with_the_right_password()
    {
        var email = NewEmail();
        var user = await CreateAsync(email, ClinicRoles.Physician);
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var update = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { displayName = user.DisplayName, roles = user.Roles, isActive = false });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(email, StrongPassword)).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it()
    {
        var email = NewEmail();
        var user = await CreateAsync(email, ClinicRoles.Nurse);
        for (var i = 1; i <= 5; i++)
        {
            var wrong = await LoginAsync(email, "Wrong-Passphrase-0000");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            // The fifth failure is the one that locks the account, and says so.
            Assert.Equal(i == 5, (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.Contains("locked", StringComparison.Ordinal));
        }
        var locked = await LoginAsync(email, StrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/users/{user.Id}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(email, StrongPassword)).StatusCode);

        await using var db = App.NewDbContext();
        Assert.Equal(4, await db.AuditEntries.CountAsync(e => e.UserName == email && e.Action == "login-failed" && e.Details!.Contains("bad-credentials")));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.UserName == email && e.Action == "login-failed" && e.Details!.Contains("locked-out")));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.UserName == email && e.Action == "login"));
    }

    [Fact]
    public async Task An_administrator_cannot_remove_their_own_administrator_role()
    {
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var me = await admin.GetFromJsonAsync<JsonElement>("/api/me");
        var id = me.GetProperty("userId").GetString();
        var response = await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "Alex Admin", roles = new[] { ClinicRoles.Nurse }, isActive = true });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("roles", out _));
        var users = await admin.GetFromJsonAsync<List<UserView>>("/api/users", Json);
        Assert.Contains(ClinicRoles.Administrator, users!.Single(u => u.Id == id).Roles);
    }

    [Fact]
    public async Task A_password_reset_lets_the_user_in_with_the_new_password_only()
    {
        var email = NewEmail();
        var user = await CreateAsync(email, ClinicRoles.FrontDesk);
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var weak = await admin.PostAsJsonAsync($"/api/users/{user.Id}/password", new { newPassword = "weak" });
        Assert.True((await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/users/{user.Id}/password", new { newPassword = "Fresh-Passphrase-2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(email, StrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(email, "Fresh-Passphrase-2027")).StatusCode);
    }
}

public sealed class UserAdministrationTests_Sqlite(SqliteApp f) : UserAdministrationTests(f), IClassFixture<SqliteApp>;

public sealed class UserAdministrationTests_Postgres(PostgresApp f) : UserAdministrationTests(f), IClassFixture<PostgresApp>;
