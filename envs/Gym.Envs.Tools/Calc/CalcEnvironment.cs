using Gym.Core;

namespace Gym.Envs.Tools.Calc;

/// <summary>
/// Word problems solved with calculation and conversion tools (<see cref="CalcTools"/>); numbers count as right
/// within 0.01 or 0.1%.
/// </summary>
public sealed class CalcEnvironment() : ToolEnvironment(EnvSpec, CalcDomain.Instance)
{
    /// <summary>The registered id.</summary>
    public const string Id = "tools/calc-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "tools",
        Description = "Arithmetic, unit and date word problems solved with tools described by JSON Schema.",
        ActionSyntax = ToolCallParser.Syntax,
        MaxSteps = 8,
    };
}

/// <summary>The calculation domain: <see cref="CalcTools"/> and <see cref="CalcProblem"/>.</summary>
public sealed class CalcDomain : IToolDomain
{
    /// <summary>The one instance (the domain has no state).</summary>
    public static readonly CalcDomain Instance = new();

    /// <inheritdoc />
    public IReadOnlyList<ToolSpec> Tools => CalcTools.Specs;

    /// <inheritdoc />
    public System.Text.Json.Nodes.JsonObject Invoke(string name, System.Text.Json.Nodes.JsonObject arguments) => CalcTools.Invoke(name, arguments);

    /// <inheritdoc />
    public ToolProblem Problem(long seed)
    {
        CalcProblem p = CalcProblem.Generate(seed);
        return new ToolProblem(p.Question, p.GoldCalls, p.Answer, p.IsCorrect);
    }
}
