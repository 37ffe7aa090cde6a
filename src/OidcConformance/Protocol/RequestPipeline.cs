namespace OidcConformance.Protocol;

/// <summary>
/// One named part of a request: it adds its parameters (or its client authentication) to the request being built.
/// <see cref="Part"/> says what the step contributes, in words a report reader knows ("PKCE verifier").
/// </summary>
public abstract class RequestStep<TRequest>
{
    /// <summary>What the step adds to the request, e.g. "PKCE verifier" (shown as "mutates: token request / PKCE verifier").</summary>
    public abstract string Part { get; }

    public abstract void Apply(TRequest request);
}

/// <summary>A change a negative case made to the normal pipeline: which step, of which request, and how.</summary>
public sealed record StepMutation(string Request, string Step, string Change)
{
    public override string ToString() => $"{Request} / {Step}: {Change}";
}

/// <summary>
/// An ordered list of named steps that builds a request. The normal flows build their requests through it; a negative
/// case is the normal pipeline with one step replaced (<see cref="Replace{TStep}"/>), removed (<see cref="Without{TStep}"/>)
/// or followed by another (<see cref="AddAfter{TStep}"/> right after it, <see cref="Then{TStep}"/> after the whole request), and the pipeline remembers which step it changed
/// (<see cref="Mutations"/>), so the verdict can say what was broken instead of the reader diffing requests.
/// A step is found by the type of the standard step that fills its slot, also after it was replaced.
/// </summary>
public abstract class RequestPipeline<TRequest, TSelf> where TSelf : RequestPipeline<TRequest, TSelf>
{
    private readonly List<(Type Slot, RequestStep<TRequest> Step)> steps = [];
    private readonly List<StepMutation> mutations = [];
    private readonly List<RequestStep<TRequest>> followers = [];

    /// <summary>The request this pipeline builds, as the mutation label names it ("authorization request", "token request").</summary>
    public abstract string RequestName { get; }

    public IReadOnlyList<RequestStep<TRequest>> Steps => steps.Select(s => s.Step).ToList();

    public IReadOnlyList<StepMutation> Mutations => mutations;

    /// <summary>"token request / PKCE verifier: …" for every mutation, or null for the normal pipeline.</summary>
    public string? MutatedStep => mutations.Count == 0 ? null : string.Join("; ", mutations);

    public bool Has<TStep>() where TStep : RequestStep<TRequest> => steps.Any(s => s.Slot == typeof(TStep));

    /// <summary>Appends a standard step (building the normal pipeline; not a mutation).</summary>
    public TSelf Add(RequestStep<TRequest> step)
    {
        steps.Add((step.GetType(), step));
        return (TSelf)this;
    }

    /// <summary>Puts <paramref name="replacement"/> in the place of the <typeparamref name="TStep"/> step.</summary>
    public TSelf Replace<TStep>(RequestStep<TRequest> replacement, string change) where TStep : RequestStep<TRequest>
    {
        var index = IndexOf<TStep>();
        mutations.Add(new StepMutation(RequestName, steps[index].Step.Part, change));
        steps[index] = (typeof(TStep), replacement);
        return (TSelf)this;
    }

    /// <summary>Drops the <typeparamref name="TStep"/> step: its parameters are not sent.</summary>
    public TSelf Without<TStep>(string? change = null) where TStep : RequestStep<TRequest>
    {
        var index = IndexOf<TStep>();
        mutations.Add(new StepMutation(RequestName, steps[index].Step.Part, change ?? "left out"));
        steps.RemoveAt(index);
        return (TSelf)this;
    }

    /// <summary>Runs <paramref name="step"/> right after the <typeparamref name="TStep"/> step (a parameter repeated, a value overwritten).</summary>
    public TSelf AddAfter<TStep>(RequestStep<TRequest> step, string change) where TStep : RequestStep<TRequest>
    {
        var index = IndexOf<TStep>();
        mutations.Add(new StepMutation(RequestName, steps[index].Step.Part, change));
        steps.Insert(index + 1, (step.GetType(), step));
        return (TSelf)this;
    }

    /// <summary>
    /// Runs <paramref name="step"/> after every step of the pipeline, as a change of the <typeparamref name="TStep"/> step:
    /// the normal request followed by a mutation (a value set over the built one goes last on the wire, a repeated
    /// parameter follows all others), which is how the flows changed built requests before the pipeline.
    /// </summary>
    public TSelf Then<TStep>(RequestStep<TRequest> step, string change) where TStep : RequestStep<TRequest>
    {
        mutations.Add(new StepMutation(RequestName, steps[IndexOf<TStep>()].Step.Part, change));
        followers.Add(step);
        return (TSelf)this;
    }

    /// <summary>Applies the steps in order to <paramref name="request"/>, then the mutations that follow them (<see cref="Then{TStep}"/>).</summary>
    protected TRequest Run(TRequest request)
    {
        foreach (var (_, step) in steps) step.Apply(request);
        foreach (var step in followers) step.Apply(request);
        return request;
    }

    private int IndexOf<TStep>()
    {
        var index = steps.FindIndex(s => s.Slot == typeof(TStep));
        return index >= 0 ? index
            : throw new InvalidOperationException($"the {RequestName} pipeline has no {typeof(TStep).Name} (steps: {string.Join(", ", steps.Select(s => s.Slot.Name))})");
    }
}
