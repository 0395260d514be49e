using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Envs.Tools;

namespace Gym.Mcp;

/// <summary>
/// An environment whose tool set is any MCP server, named in the task file: <c>config.server</c> is a command to
/// start on stdio or an HTTP endpoint (see <see cref="McpServerAddress"/>), <c>config.question</c> is what the agent
/// is asked, <c>config.answer</c> the text a right answer must contain (case-insensitive) and <c>config.goldCalls</c>
/// the calls the oracle makes. A started server runs for the episode and is stopped with it; an HTTP session is
/// opened for the episode and closed with it. Calls are checked against the server's schemas first.
/// </summary>
public sealed class McpEnvironment : EnvironmentBase
{
    /// <summary>The registered id.</summary>
    public const string Id = "tools/mcp-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "tools",
        Description = "Questions answered with the tools of an MCP server named in the task file.",
        ActionSyntax = ToolCallParser.Syntax,
        MaxSteps = 10,
    };

    private McpToolClient? _client;
    private IReadOnlyList<ToolSpec> _tools = [];
    private string _answer = "";

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <inheritdoc />
    protected override async ValueTask<Observation> ResetCoreAsync(TaskSpec task, long seed, CancellationToken cancellationToken)
    {
        (McpServerAddress server, string question, string answer, _) = Read(task);
        await StopAsync().ConfigureAwait(false);
        _client = await server.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _tools = await _client.ListToolsAsync(cancellationToken).ConfigureAwait(false);
        _answer = answer;
        return new Observation { Text = question, Tools = _tools, StateKey = "start" };
    }

    /// <inheritdoc />
    protected override async ValueTask<StepResult> StepCoreAsync(AgentAction action, CancellationToken cancellationToken)
    {
        McpToolClient client = _client!;
        ParsedToolAction parsed = ToolCallParser.Parse(action);
        if (parsed.Error is not null)
            return Invalid(parsed.Error);
        if (parsed.Calls.Count == 0)
        {
            bool correct = parsed.Answer!.Contains(_answer, StringComparison.OrdinalIgnoreCase);
            return new StepResult(new Observation { Text = correct ? "Correct." : "Not the expected answer.", StateKey = "answered" }, correct ? 1 : 0, true, false,
                new StepInfo { ParsedAction = "answer", Success = correct, Score = correct ? 1 : 0 });
        }
        List<string> lines = [], contents = [];
        foreach (ParsedToolCall call in parsed.Calls)
        {
            if (ToolCallCheck.Problem(_tools, call.Name, call.Arguments) is { } problem)
                return Invalid(problem);
            Dictionary<string, object?> arguments = call.Arguments.ToDictionary(p => p.Key, p => (object?)JsonSerializer.SerializeToElement(p.Value));
            (string text, bool error) = await client.CallAsync(call.Name, arguments, cancellationToken).ConfigureAwait(false);
            lines.Add($"{call.Name}{call.Arguments.ToJsonString(ToolJson.Options)} -> {(error ? "error: " : "")}{text}");
            contents.Add((error ? "error: " : "") + text);
        }
        Observation observation = new()
        {
            Text = string.Join("\n", lines), Tools = _tools, StateKey = string.Join(",", parsed.Calls.Select(c => c.Name)),
            ToolResults = ToolCallParser.NativeResults(action, contents),
        };
        return new StepResult(observation,
            0, false, false, new StepInfo { ParsedAction = string.Join(", ", parsed.Calls.Select(c => c.Name)) });
    }

    private StepResult Invalid(string error) =>
        new(new Observation { Text = error, Feedback = error, Tools = _tools, StateKey = "invalid" }, 0, false, false, StepInfo.Invalid(error));

    // The server, the question, the expected answer and the oracle's calls, from the task config (read once).
    internal static (McpServerAddress Server, string Question, string Answer, IReadOnlyList<JsonElement> GoldCalls) Read(TaskSpec task)
    {
        McpConfig config = task.ConfigAs<McpConfig>();
        return (McpServerAddress.From(task, config.Server), config.Question ?? throw new InvalidDataException($"Task {task.Id}: config.question is missing."),
            config.Answer ?? throw new InvalidDataException($"Task {task.Id}: config.answer is missing."), config.GoldCalls);
    }

    private async Task StopAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync().ConfigureAwait(false);
        _client = null;
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeCoreAsync() => await StopAsync().ConfigureAwait(false);
}

/// <summary>The scripted oracle of <see cref="McpEnvironment"/>: makes the task's <c>config.goldCalls</c>, one per turn, then answers.</summary>
public sealed class McpOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        (_, _, string answer, IReadOnlyList<JsonElement> gold) = McpEnvironment.Read(context.Task);
        int made = context.History.Count(s => s.Info.ActionValid);
        string text = made < gold.Count ? $"<tool_call>{gold[made].GetRawText()}</tool_call>" : $"<answer>{answer}</answer>";
        return ValueTask.FromResult(AgentTurn.FromText(text));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Registers the MCP-backed environment.</summary>
public static class McpEnvironments
{
    /// <summary>Adds tools/mcp-v1 and its oracle.</summary>
    public static Gym.Core.Registry.EnvRegistry AddMcpEnvironments(this Gym.Core.Registry.EnvRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new Gym.Core.Registry.EnvRegistration(McpEnvironment.EnvSpec, () => new McpEnvironment(), () => new McpOracle()));
        return registry;
    }
}
