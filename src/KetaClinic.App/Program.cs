var b = WebApplication.CreateBuilder(args); var a = b.Build(); a.Run(); public partial class Program;
