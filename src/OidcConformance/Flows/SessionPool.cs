using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// A few interchangeable browser sessions, each leased to one attempt at a time. A session is created only while every
/// existing one is busy, up to a maximum, so a run that needs one pays for one. Why: one shared session makes the attempts
/// of several fixtures queue behind each other for whole browser round trips (the run's critical path before the pools),
/// while a fresh session per attempt would pay a login each time.
/// </summary>
public sealed class SessionPool<T> where T : class
{
    private readonly object gate = new();
    private readonly Stack<T> idle = new();
    private readonly Queue<TaskCompletionSource<T>> waiting = new();
    private readonly Func<int, Task<T>> create;
    private readonly int max;
    private readonly TimeSpan waitLimit;
    private int created;

    private SessionPool(int max, TimeSpan waitLimit, Func<int, Task<T>> create) => (this.max, this.waitLimit, this.create) = (max, waitLimit, create);

    /// <summary>The run's pool named <paramref name="key"/>; <paramref name="create"/> gets the session's index (0 = the first).</summary>
    public static Task<SessionPool<T>> Of(ConformanceRun run, string key, int max, Func<int, Task<T>> create) =>
        run.SharedAsync(SharedArtifacts.SessionPool<T>(key), () => Task.FromResult(new SessionPool<T>(max, run.NavigationTimeout * 4, create)));

    /// <summary>A session for one attempt; dispose the lease to give it back.</summary>
    public sealed class Lease(SessionPool<T> owner, T session) : IAsyncDisposable
    {
        public T Session { get; } = session;
        public ValueTask DisposeAsync()
        {
            owner.Return(Session);
            return ValueTask.CompletedTask;
        }
    }

    public async Task<Lease> AcquireAsync()
    {
        TaskCompletionSource<T> wait;
        int index;
        lock (gate)
        {
            if (idle.TryPop(out var free)) return new Lease(this, free);
            index = created < max ? created++ : -1;
            wait = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (index < 0) waiting.Enqueue(wait);
        }
        if (index >= 0)
        {
            try
            {
                return new Lease(this, await create(index));
            }
            catch
            {
                lock (gate) created--; // no session came of it; a later attempt may try again
                throw;
            }
        }
        // Held for one attempt at most, so the deadline is a few attempts' navigation timeouts.
        if (await Task.WhenAny(wait.Task, Task.Delay(waitLimit)) != wait.Task && wait.TrySetCanceled())
            throw new TimeoutException($"no browser session of this pool became free within {waitLimit.TotalSeconds:0} s");
        return new Lease(this, await wait.Task);
    }

    private void Return(T session)
    {
        lock (gate)
        {
            while (waiting.TryDequeue(out var next))
                if (next.TrySetResult(session)) return;
            idle.Push(session);
        }
    }
}
