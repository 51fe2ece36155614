using System.Text.Json;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli;

namespace KetaClinic.App.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Admin_create_makes_the_first_administrator_of_a_new_clinic(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        string[] args = ["admin", "create", "--email", "owner@clinic.example", "--name", "Clinic Owner", "--provider", database.ProviderSetting, "--connection", database.ConnectionString];

        var weak = new StringWriter();
        Assert.Equal(2, await CliProgram.RunAsync(args, new StringReader("short\n"), weak, new StringWriter()));
        Assert.Equal("password", JsonDocument.Parse(weak.ToString()).RootElement.GetProperty("errors")[0].GetProperty("field").GetString());

        var output = new StringWriter();
        Assert.Equal(0, await CliProgram.RunAsync(args, new StringReader("A-Strong-Passphrase-1\n"), output, new StringWriter()));
        var user = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("user");
        Assert.Equal("owner@clinic.example", user.GetProperty("email").GetString());
        Assert.Equal("Administrator", user.GetProperty("roles")[0].GetString());

        var verify = new StringWriter();
        Assert.Equal(0, await CliProgram.RunAsync(["audit", "verify", "--provider", database.ProviderSetting, "--connection", database.ConnectionString], new StringReader(""), verify, new StringWriter()));
        Assert.Equal(1, JsonDocument.Parse(verify.ToString()).RootElement.GetProperty("entriesChecked").GetInt64());
    }

    [Fact]
    public async Task An_unknown_command_prints_usage_and_exits_2()
    {
        var error = new StringWriter();
        Assert.Equal(2, await CliProgram.RunAsync(["frobnicate", "now"], new StringReader(""), new StringWriter(), error));
        Assert.Contains("audit verify", error.ToString(), StringComparison.Ordinal);
    }
}
