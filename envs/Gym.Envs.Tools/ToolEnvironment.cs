using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Tools;

/// <summary>
/// A tool-use environment over a <see cref="IToolDomain"/>: the question of the task's problem, the domain's tools
/// (JSON Schema in <see cref="Observation.Tools"/>). The agent calls tools
/// (<see cref="ToolCallParser.Syntax"/>), sees each result, and ends with an answer; reward 1 when the domain
/// judges it right, else 0. Unknown tools and arguments that break a tool's schema come back
/// as feedback, never as exceptions. Optional ToolRL shaping: the task's <c>evaluator.shaping</c> weights
/// (<c>format</c>, <c>name</c>, <c>parameterName</c>, <c>parameterValue</c>) add a reward to each tool-calling turn,
/// comparing its calls with the gold calls of that point of the solution; the parts are in the step's extras.
/// </summary>
public class ToolEnvironment(EnvSpec spec, IToolDomain domain) : EnvironmentBase
{
    private IToolEpisode? _episode;
    private ToolProblem _problem = null!;
    private ShapingWeights _shaping = new();
    private int _goldCallsMade;

    /// <inheritdoc />
    public override EnvSpec Spec => spec;

    /// <inheritdoc />
    protected override ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        _episode?.Dispose();
        _episode = StartEpisode(task, seed);
        _problem = _episode.Problem;
        _shaping = Shaping(task.Evaluator);
        _goldCallsMade = 0;
        return ValueTask.FromResult(new Observation { Text = _problem.Question, Tools = domain.Tools, StateKey = "start" });
    }

    /// <summary>
    /// The episode of <paramref name="seed"/>. The domain's tasks take no config (any key is refused); domains whose tasks
    /// configure more (the retail customer) override this and read their own config record.
    /// </summary>
    protected virtual IToolEpisode StartEpisode(TaskSpec task, long seed)
    {
        _ = task.ConfigAs<EmptyTaskConfig>();
        return domain.Start(seed);
    }

    /// <inheritdoc />
    protected override async ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken)
    {
        ParsedToolAction parsed = ToolCallParser.Parse(action);
        if (parsed.Error is not null)
        {
            StepResult invalid = Invalid(parsed.Error);
            return _shaping.Any ? Shaped(invalid, false, []) : invalid;
        }
        if (parsed.Calls.Count == 0)
        {
            bool correct = _episode!.Judge(parsed.Answer!);
            string text = correct ? "Correct." : "Not the expected answer.";
            return new StepResult(new Observation { Text = text, StateKey = "answered" }, correct ? 1 : 0, true, false,
                new StepInfo { ParsedAction = "answer", Success = correct, Score = correct ? 1 : 0 });
        }
        StringBuilder results = new();
        List<string> keys = [], contents = [];
        foreach (ParsedToolCall call in parsed.Calls)
        {
            if (ToolCallCheck.Problem(domain.Tools, call.Name, call.Arguments) is { } problem)
                return Invalid(problem);
            string result;
            try
            {
                result = (await _episode!.InvokeAsync(call.Name, call.Arguments, cancellationToken).ConfigureAwait(false)).ToJsonString(ToolJson.Options);
            }
            catch (ToolException e)
            {
                result = JsonSerializer.Serialize(new { error = e.Message });
            }
            results.Append(call.Name).Append(call.Arguments.ToJsonString(ToolJson.Options)).Append(" -> ").AppendLine(result);
            keys.Add(call.Name);
            contents.Add(result);
        }
        Observation observation = new()
        {
            Text = results.ToString().TrimEnd(), Tools = domain.Tools, StateKey = string.Join(",", keys), ToolResults = ToolCallParser.NativeResults(action, contents),
        };
        StepResult step = new(observation,
            0, false, false, new StepInfo { ParsedAction = string.Join(", ", keys) });
        return _shaping.Any ? Shaped(step, true, parsed.Calls) : step;
    }

    // ToolRL's reward for this turn's calls against the gold calls due at this point of the solution.
    private StepResult Shaped(StepResult step, bool parsed, IReadOnlyList<ParsedToolCall> calls)
    {
        ParsedToolCall[] due = [.. _problem.GoldCalls.Skip(_goldCallsMade).Take(Math.Max(1, calls.Count))];
        (double reward, double format, double name, double parameterName, double parameterValue) = ToolRlReward.Score(parsed, calls, due, _shaping);
        _goldCallsMade += calls.Count;
        Dictionary<string, object?> extras = new(step.Info.Extras)
        {
            ["shaping_format"] = format,
            ["shaping_name"] = name,
            ["shaping_parameter_name"] = parameterName,
            ["shaping_parameter_value"] = parameterValue,
        };
        return step with { Reward = step.Reward + reward, Info = step.Info with { Extras = extras } };
    }

    private static ShapingWeights Shaping(JsonElement evaluator)
    {
        if (evaluator.ValueKind != JsonValueKind.Object || !evaluator.TryGetProperty("shaping", out JsonElement s) || s.ValueKind != JsonValueKind.Object)
            return new ShapingWeights();
        double W(string key) => s.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
        return new ShapingWeights(W("format"), W("name"), W("parameterName"), W("parameterValue"));
    }

    private StepResult Invalid(string error) =>
        new(new Observation { Text = error, Feedback = error, Tools = domain.Tools, StateKey = "invalid" }, 0, false, false, StepInfo.Invalid(error));

    /// <inheritdoc />
    protected override ValueTask DisposeCoreAsync()
    {
        _episode?.Dispose();
        _episode = null;
        return ValueTask.CompletedTask;
    }
}

/// <summary>The scripted oracle of a tool domain: regenerates the problem from the task seed (the runner resets with it), makes the gold calls one per turn, then answers.</summary>
public sealed class ToolOracle(IToolDomain domain) : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ToolProblem problem = domain.Problem(context.Task.Seed);
        int made = context.History.Count(s => s.Info.ActionValid);
        string text = made < problem.GoldCalls.Count
            ? $"<tool_call>{new JsonObject { ["name"] = problem.GoldCalls[made].Name, ["arguments"] = problem.GoldCalls[made].Arguments.DeepClone() }.ToJsonString(ToolJson.Options)}</tool_call>"
            : $"<answer>{problem.Answer}</answer>";
        return ValueTask.FromResult(AgentTurn.FromText(text));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
