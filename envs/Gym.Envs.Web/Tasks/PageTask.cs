using System.Text.Json;
using System.Text.RegularExpressions;
using Gym.Core;
using Gym.Envs.Web.Browser;
using Gym.Envs.Web.Sites;
using Gym.Envs.Web.Sites.Widgets;

namespace Gym.Envs.Web.Tasks;

/// <summary>
/// A task written entirely in the task file (<c>config.site</c> "page"): <c>config.start</c> (a path on Gym's
/// sites; each episode is its own visitor there, with its own cart and booking), the goal (<c>config.goal</c>, else the task's instruction), <c>config.solution</c> for the oracle (steps
/// of <c>{"action", "role", "name", "argument"}</c>), and the task's <c>evaluator</c>, one of:
/// <c>{"type": "url", "matches": REGEX}</c> (done when the path and query match),
/// <c>{"type": "answer", "exact": TEXT}</c> or <c>{"type": "answer", "mustInclude": [TEXT, ...]}</c> (judged on
/// send_msg_to_user, case-insensitive, white space trimmed),
/// <c>{"type": "script", "script": "() => true | false | null"}</c> (the page's state after each step: true done
/// right, false done wrong, null not yet), or <c>{"type": "infeasible"}</c> (report_infeasible is right).
/// </summary>
internal sealed class PageTask : IWebTask
{
    private readonly string _type;
    private readonly Regex? _url;
    private readonly string? _exact;
    private readonly IReadOnlyList<string> _mustInclude = [];
    private readonly string? _script;
    private readonly IReadOnlyList<SolutionStep> _solution;

    private PageTask(string goal, string start, IReadOnlyList<string> origins, JsonElement evaluator, IReadOnlyList<SolutionStep> solution, string where)
    {
        Goal = goal;
        StartPath = start;
        AllowedOrigins = origins;
        _solution = solution;
        _type = Text(evaluator, "type", where) ?? throw new InvalidDataException($"{where}: evaluator.type is missing (url, answer, script, infeasible).");
        switch (_type)
        {
            case "url":
                string pattern = Text(evaluator, "matches", where) ?? throw new InvalidDataException($"{where}: evaluator.matches (a regular expression) is missing.");
                try
                {
                    _url = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"{where}: evaluator.matches is not a regular expression: {e.Message}");
                }
                break;
            case "answer":
                _exact = Text(evaluator, "exact", where);
                if (evaluator.TryGetProperty("mustInclude", out JsonElement m))
                    _mustInclude = m.ValueKind == JsonValueKind.Array && m.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
                        ? [.. m.EnumerateArray().Select(x => x.GetString()!)]
                        : throw new InvalidDataException($"{where}: evaluator.mustInclude must be an array of strings.");
                if (_exact is null && _mustInclude.Count == 0)
                    throw new InvalidDataException($"{where}: an answer evaluator needs \"exact\" or \"mustInclude\".");
                break;
            case "script":
                _script = Text(evaluator, "script", where) ?? throw new InvalidDataException($"{where}: evaluator.script is missing.");
                break;
            case "infeasible":
                break;
            default:
                throw new InvalidDataException($"{where}: evaluator.type '{_type}' is not one of url, answer, script, infeasible.");
        }
    }

    public string Goal { get; }

    public string StartPath { get; }

    public IReadOnlyList<string> AllowedOrigins { get; }

    public static PageTask Read(TaskSpec task, WebConfig config)
    {
        string where = $"Task {task.Id}";
        List<string> origins = [.. config.AllowedHosts.Select(h => Origin(h, where))];
        string start;
        if (config.Static is { } folder)
        {
            // A folder of the user's pages, found beside the suite file that names it.
            string root = Path.Combine(Path.GetDirectoryName(task.Origin?.File) ?? Directory.GetCurrentDirectory(), folder);
            if (!Directory.Exists(root))
                throw new InvalidDataException($"{where}: config.static names no folder ({Path.GetFullPath(root)}).");
            start = StaticFolders.Mount(root) + (config.Start ?? "").TrimStart('/');
        }
        else
        {
            start = config.Start ?? throw new InvalidDataException($"{where}: config.start (a path on the task sites, or a full URL) is missing.");
            if (start.Contains("://", StringComparison.Ordinal))
                origins.Add(Origin(start, where));
            else
                start = start.TrimStart('/');
        }
        string goal = config.Goal ?? (task.Instruction.Length > 0 ? task.Instruction : throw new InvalidDataException($"{where}: config.goal or an instruction is needed."));
        IReadOnlyList<SolutionStep> solution = config.Solution ?? [];
        if (solution.Any(s => string.IsNullOrEmpty(s.Action)))
            throw new InvalidDataException($"{where}: every config.solution step needs an action.");
        if (task.Evaluator.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: a page task needs an evaluator object.");
        return new PageTask(goal, start, origins, task.Evaluator, solution, where);
    }

    // "127.0.0.1:8080" or "https://example.org/any/path" as an origin, "http://127.0.0.1:8080".
    private static string Origin(string host, string where) =>
        Uri.TryCreate(host.Contains("://", StringComparison.Ordinal) ? host : "http://" + host, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new InvalidDataException($"{where}: '{host}' is not a host or an http(s) URL.");

    private static string? Text(JsonElement e, string key, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new InvalidDataException($"{where}: '{key}' must be a string.")
            : null;

    public async Task<WebVerdict> AfterStepAsync(WebSession session)
    {
        if (_url is not null && Uri.TryCreate(session.Active.Url, UriKind.Absolute, out Uri? url) && _url.IsMatch(url.PathAndQuery))
            return new WebVerdict(true, true, 1);
        if (_script is not null)
        {
            JsonElement result = await session.Active.EvaluateAsync<JsonElement>(_script).ConfigureAwait(false);
            if (result.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                bool right = result.ValueKind == JsonValueKind.True;
                return new WebVerdict(true, right, right ? 1 : 0);
            }
        }
        return new WebVerdict(false, false, 0);
    }

    public bool JudgeFinal(string action, string text)
    {
        if (action == "report_infeasible")
            return _type == "infeasible";
        if (_type != "answer")
            return false;
        string answer = text.Trim();
        return (_exact is null || string.Equals(answer, _exact.Trim(), StringComparison.OrdinalIgnoreCase))
            && _mustInclude.All(m => answer.Contains(m, StringComparison.OrdinalIgnoreCase));
    }

    public string OracleAction(AgentContext context) => _solution.Count > 0
        ? SolutionSteps.NextAction(context, _solution)
        : throw new InvalidOperationException($"Task {context.Task.Id} has no config.solution for the oracle.");
}
