using KetaClinic.App.Data;
using KetaClinic.App.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Demo;

/// <summary>What happens at start: migrate, make sure the roles exist, seed the demo clinic or ask for an administrator.</summary>
public sealed class ClinicBootstrap(IServiceScopeFactory scopes, DatabaseMigrator migrator, DatabaseSettings database, DemoSettings demo, ILogger<ClinicBootstrap> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        logger.LogInformation("Database: {Database}", database.Describe());
        migrator.Migrate();
        await using var scope = scopes.CreateAsyncScope();
        // The chair's clinical settings in force from now on, so steps taken under them replay under them later.
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync(ct))
        {
            await scope.ServiceProvider.GetRequiredService<KetaClinic.App.Features.Sessions.SessionLog>().RecordSettingsVersionAsync(db, ct);
        }
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in ClinicRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        if (demo.Enabled)
        {
            var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(scope.ServiceProvider);
            if (await seeder.SeedIfEmptyAsync(ct))
            {
                logger.LogInformation("Demo clinic created with {Count} synthetic patients (seed {Seed}).", demo.PatientCount, demo.Seed);
                // Today's chairs go through the real session workflow, after the demo clinic is committed.
                await ActivatorUtilities.CreateInstance<DemoChairs>(scope.ServiceProvider).SeedAsync(ct);
            }
            PrintDemoLogins();
            return;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        if ((await users.GetUsersInRoleAsync(ClinicRoles.Administrator)).Count == 0)
        {
            logger.LogWarning("No administrator exists yet. Create one with: ketaclinic admin create --email you@clinic.example --name \"Your Name\" (the password is read from standard input).");
        }
    }

    private void PrintDemoLogins()
    {
        // Printed to the console on purpose: the operator needs these to log in to the demo.
        var lines = DemoSeeder.Logins.Select(l => $"  {l.Role,-14} {l.Email}").ToList();
        Console.WriteLine();
        Console.WriteLine("KetaClinic demo mode: synthetic data only. Demo logins (password: " + demo.Password + "):");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        Console.WriteLine();
    }
}
