using System.Text.RegularExpressions;
using Gym.Core;

namespace Gym.Mcp;

/// <summary>
/// Where a task's MCP server is: <c>{"command": "...", "args": [...]}</c> to start one on stdio (<c>{gym.dll}</c>
/// stands for this Gym's own command line), or <c>{"url": "http://...", "headers": {...}}</c> to reach one over
/// Streamable HTTP (<c>${NAME}</c> in a header value is read from the environment, so secrets stay out of task files).
/// </summary>
public sealed partial record McpServerAddress(string? Command, IReadOnlyList<string> Arguments, Uri? Url, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Starts or reaches the server.</summary>
    public Task<McpToolClient> ConnectAsync(CancellationToken cancellationToken = default) => Url is not null
        ? McpToolClient.ConnectAsync(Url, Headers, cancellationToken)
        : McpToolClient.StartAsync(Command!, Arguments, cancellationToken: cancellationToken);

    /// <summary>Reads <c>config.server</c> of <paramref name="task"/>; errors name the task and the field.</summary>
    public static McpServerAddress Read(TaskSpec task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return From(task, task.ConfigAs<McpConfig>().Server);
    }

    /// <summary>The address <paramref name="server"/> (the already-read <c>config.server</c> of <paramref name="task"/>) describes.</summary>
    internal static McpServerAddress From(TaskSpec task, McpServerConfig? server)
    {
        if (server is null)
            throw new InvalidDataException($"Task {task.Id}: config.server ({{\"command\", \"args\"}} or {{\"url\", \"headers\"}}) is missing.");
        if (server.Url is null == server.Command is null)
            throw new InvalidDataException($"Task {task.Id}: config.server needs exactly one of \"command\" (stdio) and \"url\" (HTTP).");
        if (server.Command is not null)
        {
            if (string.IsNullOrWhiteSpace(server.Command))
                throw new InvalidDataException($"Task {task.Id}: config.server.command must be a non-empty string.");
            string gym = Path.Combine(AppContext.BaseDirectory, "gym.dll");
            return new McpServerAddress(server.Command, [.. server.Args.Select(a => a.Replace("{gym.dll}", gym, StringComparison.Ordinal))], null,
                new Dictionary<string, string>());
        }
        if (!Uri.TryCreate(server.Url, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new InvalidDataException($"Task {task.Id}: config.server.url must be an http(s) URL (got \"{server.Url}\").");
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in server.Headers)
            headers[name] = Expand(task, name, value);
        return new McpServerAddress(null, [], endpoint, headers);
    }

    private static string Expand(TaskSpec task, string header, string value) => Variable().Replace(value, m =>
        Environment.GetEnvironmentVariable(m.Groups[1].Value)
        ?? throw new InvalidDataException($"Task {task.Id}: config.server.headers.{header} uses ${{{m.Groups[1].Value}}}, which is not set in the environment."));

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
