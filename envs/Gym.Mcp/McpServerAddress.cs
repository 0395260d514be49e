using System.Text.Json;
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
        if (task.Config.ValueKind != JsonValueKind.Object || !task.Config.TryGetProperty("server", out JsonElement server) || server.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"Task {task.Id}: config.server ({{\"command\", \"args\"}} or {{\"url\", \"headers\"}}) is missing.");
        bool hasUrl = server.TryGetProperty("url", out JsonElement url), hasCommand = server.TryGetProperty("command", out JsonElement command);
        if (hasUrl == hasCommand)
            throw new InvalidDataException($"Task {task.Id}: config.server needs exactly one of \"command\" (stdio) and \"url\" (HTTP).");
        if (hasCommand)
        {
            if (command.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(command.GetString()))
                throw new InvalidDataException($"Task {task.Id}: config.server.command must be a non-empty string.");
            string gym = Path.Combine(AppContext.BaseDirectory, "gym.dll");
            return new McpServerAddress(command.GetString(), [.. Strings(task, server, "args").Select(a => a.Replace("{gym.dll}", gym, StringComparison.Ordinal))], null,
                new Dictionary<string, string>());
        }
        if (url.ValueKind != JsonValueKind.String || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new InvalidDataException($"Task {task.Id}: config.server.url must be an http(s) URL (got {url.GetRawText()}).");
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        if (server.TryGetProperty("headers", out JsonElement h))
        {
            if (h.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"Task {task.Id}: config.server.headers must be an object of strings.");
            foreach (JsonProperty header in h.EnumerateObject())
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                    ? Expand(task, header.Name, header.Value.GetString()!)
                    : throw new InvalidDataException($"Task {task.Id}: config.server.headers.{header.Name} must be a string.");
        }
        return new McpServerAddress(null, [], endpoint, headers);
    }

    private static IEnumerable<string> Strings(TaskSpec task, JsonElement server, string key)
    {
        if (!server.TryGetProperty(key, out JsonElement values))
            return [];
        if (values.ValueKind != JsonValueKind.Array || values.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw new InvalidDataException($"Task {task.Id}: config.server.{key} must be an array of strings.");
        return values.EnumerateArray().Select(v => v.GetString()!);
    }

    private static string Expand(TaskSpec task, string header, string value) => Variable().Replace(value, m =>
        Environment.GetEnvironmentVariable(m.Groups[1].Value)
        ?? throw new InvalidDataException($"Task {task.Id}: config.server.headers.{header} uses ${{{m.Groups[1].Value}}}, which is not set in the environment."));

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
