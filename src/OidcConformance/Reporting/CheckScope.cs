using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using OidcConformance.Http;

namespace OidcConformance.Reporting;

/// <summary>
/// The check execution that is running on the current async flow. <see cref="ConformanceTest"/>-style runners open
/// one per check; an <see cref="ExchangeRecorder"/> hooked with <see cref="Attach"/> then attributes every exchange
/// recorded on that flow to it, so a verdict can carry the HTTP exchanges its test made (the generic evidence
/// fallback, the failure bundle and the per-case error facts). Shared artifacts obtained by another check first
/// (discovery, a reference login) stay attributed to that check.
/// </summary>
public sealed class CheckScope : IDisposable
{
    private static readonly AsyncLocal<CheckScope?> current = new();
    private static readonly ConditionalWeakTable<ExchangeRecorder, object> attached = new();
    private readonly ConcurrentQueue<HttpExchange> exchanges = new();
    private readonly CheckScope? outer;

    public string CheckId { get; }
    public static CheckScope? Current => current.Value;
    public IReadOnlyList<HttpExchange> Exchanges => exchanges.ToArray();

    private CheckScope(string checkId)
    {
        CheckId = checkId;
        outer = current.Value;
        current.Value = this;
    }

    public static CheckScope Begin(string checkId) => new(checkId);

    public void Add(HttpExchange exchange) => exchanges.Enqueue(exchange);

    /// <summary>Hooks a recorder once: exchanges it records are added to the scope current on the recording flow.</summary>
    public static void Attach(ExchangeRecorder recorder)
    {
        lock (attached)
        {
            if (attached.TryGetValue(recorder, out _)) return;
            attached.Add(recorder, new object());
            recorder.Recorded += e => Current?.Add(e);
        }
    }

    public void Dispose()
    {
        if (ReferenceEquals(current.Value, this)) current.Value = outer;
    }
}
