using Gym.Torch.Interop;
using Gym.Torch.Nn;

namespace Gym.Torch.Optim;

/// <summary>Options of <see cref="AdamW"/>; defaults are torch.optim.AdamW's.</summary>
public sealed record AdamWOptions
{
    /// <summary>Learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>First-moment decay (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Second-moment decay (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Denominator epsilon (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay (default 0.01).</summary>
    public double WeightDecay { get; init; } = 0.01;
}

/// <summary>
/// AdamW with decoupled weight decay. The moment tensors are held here (one pair per parameter) so that
/// checkpoints can save and restore them; one native call updates every parameter.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Options = options ?? new AdamWOptions();
        _parameters = [.. parameters];
        _expAvg = new Tensor[_parameters.Length];
        _expAvgSq = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor p = _parameters[i].Value;
            _expAvg[i] = Tensor.Zeros(p.Shape, p.Dtype, p.Device).DetachFromDisposeScope();
            _expAvgSq[i] = Tensor.Zeros(p.Shape, p.Dtype, p.Device).DetachFromDisposeScope();
        }
        LearningRate = Options.LearningRate;
    }

    /// <summary>The options it was created with.</summary>
    public AdamWOptions Options { get; }

    /// <summary>The learning rate of the next step (schedules set it).</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>The first-moment estimates, one per parameter.</summary>
    public IReadOnlyList<Tensor> FirstMoments => _expAvg;

    /// <summary>The second-moment estimates, one per parameter.</summary>
    public IReadOnlyList<Tensor> SecondMoments => _expAvgSq;

    /// <summary>Applies one update from the parameters' gradients.</summary>
    public unsafe void Step()
    {
        StepCount++;
        IntPtr[] p = Handles(_parameters.Select(x => x.Value).ToArray());
        IntPtr[] m = Tensor.Handles(_expAvg);
        IntPtr[] v = Tensor.Handles(_expAvgSq);
        fixed (IntPtr* pp = p)
        fixed (IntPtr* pm = m)
        fixed (IntPtr* pv = v)
            NativeMethods.Check(NativeMethods.AdamWStep(pp, pm, pv, p.Length, StepCount, LearningRate, Options.Beta1, Options.Beta2, Options.Epsilon, Options.WeightDecay));
        GC.KeepAlive(_parameters);
        GC.KeepAlive(_expAvg);
        GC.KeepAlive(_expAvgSq);
    }

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters)
            p.Value.ZeroGrad();
    }

    /// <summary>Restores the step count (moments are restored by copying into <see cref="FirstMoments"/> and <see cref="SecondMoments"/>).</summary>
    public void RestoreStepCount(long steps) => StepCount = steps >= 0 ? steps : throw new ArgumentOutOfRangeException(nameof(steps));

    private static IntPtr[] Handles(Tensor[] tensors) => Tensor.Handles(tensors);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _expAvg)
            t.Dispose();
        foreach (Tensor t in _expAvgSq)
            t.Dispose();
    }
}
