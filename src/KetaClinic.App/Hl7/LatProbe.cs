using System.Diagnostics;
namespace KetaClinic.App.Hl7;
#pragma warning disable CA1303, CA1305, CA1307, CA1310, CA2000, CS1591
public static class LatProbe
{
    private static readonly Lock L = new();
    private static readonly Dictionary<string, List<double>> S = [];
    public static void Add(string k, long fromTs)
    {
        var ms = Stopwatch.GetElapsedTime(fromTs).TotalMilliseconds;
        lock (L) { if (!S.TryGetValue(k, out var l)) S[k] = l = []; l.Add(ms); }
    }
    public static void AddMs(string k, double ms) { lock (L) { if (!S.TryGetValue(k, out var l)) S[k] = l = []; l.Add(ms); } }
    public static void Reset() { lock (L) S.Clear(); }
    public static string Dump()
    {
        lock (L)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var (k, l) in S.OrderBy(x => x.Key))
            {
                l.Sort();
                double P(double p) => l[Math.Clamp((int)Math.Ceiling(p * l.Count) - 1, 0, l.Count - 1)];
                sb.AppendLine($"{k}: n={l.Count} p50={P(.5):F2} p90={P(.9):F2} p99={P(.99):F2} max={l[^1]:F2} mean={l.Average():F2}");
            }
            return sb.ToString();
        }
    }
}
