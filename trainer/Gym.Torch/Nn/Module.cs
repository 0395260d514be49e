namespace Gym.Torch.Nn;

/// <summary>
/// A trainable weight: a leaf tensor that requires gradients, owned by its module (never by a dispose scope).
/// </summary>
public sealed class Parameter : IDisposable
{
    /// <summary>Wraps <paramref name="value"/> as a parameter (it is taken out of dispose scopes).</summary>
    public Parameter(Tensor value, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value.DetachFromDisposeScope();
        Value.RequiresGrad = requiresGrad;
    }

    /// <summary>The tensor.</summary>
    public Tensor Value { get; private set; }

    /// <summary>Replaces the values in place (no autograd), keeping shape and dtype.</summary>
    public void Load(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using (TorchRuntime.NoGrad())
            Value.Copy_(source);
    }

    /// <inheritdoc />
    public void Dispose() => Value.Dispose();
}

/// <summary>
/// A building block with named parameters and child modules, named the way Hugging Face checkpoints name
/// them ("model.layers.0.self_attn.q_proj.weight").
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Parameter Parameter)> _parameters = [];
    private readonly List<(string Name, Module Module)> _modules = [];

    /// <summary>Registers a parameter under <paramref name="name"/>.</summary>
    protected Parameter RegisterParameter(string name, Tensor value, bool requiresGrad = true)
    {
        Parameter p = new(value, requiresGrad);
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        _modules.Add((name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted name, depth first, in registration order.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach ((string name, Parameter p) in _parameters)
            yield return (name, p);
        foreach ((string prefix, Module m) in _modules)
        {
            foreach ((string name, Parameter p) in m.NamedParameters())
                yield return ($"{prefix}.{name}", p);
        }
    }

    /// <summary>Every parameter.</summary>
    public IReadOnlyList<Parameter> Parameters() => [.. NamedParameters().Select(p => p.Parameter)];

    /// <summary>The number of scalar weights.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Value.NumElements);

    /// <summary>Drops every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in Parameters())
            p.Value.ZeroGrad();
    }

    /// <summary>Frees the parameters of this module and its children.</summary>
    public void Dispose()
    {
        foreach ((string _, Parameter p) in _parameters)
            p.Dispose();
        foreach ((string _, Module m) in _modules)
            m.Dispose();
        GC.SuppressFinalize(this);
    }
}
