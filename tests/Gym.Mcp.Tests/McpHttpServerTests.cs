using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Envs.Tools;
using Gym.Envs.Tools.Calc;
using Gym.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gym.Mcp.Tests;

/// <summary>The MCP server over Streamable HTTP, in process: what it refuses, when it closes sessions; and how tasks name servers.</summary>
[TestFixture]
public sealed class McpHttpServerTests
{
    [Test, CancelAfter(60_000)]
    public async Task RequestsOutsideTheProtocolAreRefusedWithTheReason()
    {
        await using McpHttpToolServer server = await McpHttpToolServer.StartAsync(CalcDomain.Instance, 0);
        using HttpClient http = new();
        async Task<Reply> Post(string body, string accept, string? session = null)
        {
            using HttpRequestMessage request = new(HttpMethod.Post, server.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (string a in accept.Split(", "))
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(a));
            if (session is not null)
                request.Headers.Add("Mcp-Session-Id", session);
            using HttpResponseMessage response = await http.SendAsync(request);
            return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        const string both = "application/json, text/event-stream";
        string list = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
        Assert.That(await Post(list, "application/json"), Has.Property("Status").EqualTo(HttpStatusCode.NotAcceptable).And.Property("Body").Contains("text/event-stream"));
        Assert.That(await Post("{not json", both), Has.Property("Status").EqualTo(HttpStatusCode.BadRequest).And.Property("Body").Contains("-32700"));
        Assert.That(await Post(list, both), Has.Property("Status").EqualTo(HttpStatusCode.BadRequest).And.Property("Body").Contains("Mcp-Session-Id header is required"));
        Assert.That(await Post(list, both, "0123"), Has.Property("Status").EqualTo(HttpStatusCode.NotFound).And.Property("Body").Contains("no session '0123'"));

        McpToolClient client = await McpToolClient.ConnectAsync(server.Endpoint);
        Assert.That(server.Sessions, Is.EqualTo((1, 1L)));
        await client.DisposeAsync();
        Assert.That(server.Sessions.Open, Is.EqualTo(0), "the client's DELETE closes its session");
    }

    private sealed record Reply(HttpStatusCode Status, string Body);

    [Test, CancelAfter(60_000)]
    public async Task AnIdleSessionIsClosed()
    {
        FakeTimeProvider clock = new();
        await using McpHttpToolServer server = await McpHttpToolServer.StartAsync(CalcDomain.Instance, 0, idleTimeout: TimeSpan.FromMinutes(10), timeProvider: clock);
        await using McpToolClient client = await McpToolClient.ConnectAsync(server.Endpoint);
        Assert.That(server.Sessions.Open, Is.EqualTo(1));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.That(server.Sessions.Open, Is.EqualTo(1), "not idle long enough");
        clock.Advance(TimeSpan.FromMinutes(4));
        // The sweep the clock fired closes the session on its own task: wait for that, not for time.
        while (server.Sessions.Open > 0)
            await Task.Delay(10, TestContext.CurrentContext.CancellationToken);
        Assert.That(server.Sessions.Open, Is.EqualTo(0));
    }

    [Test, CancelAfter(120_000)]
    public async Task ATaskCanNameAnHttpEndpointAsItsToolSet()
    {
        await using McpHttpToolServer server = await McpHttpToolServer.StartAsync(CalcDomain.Instance, 0);
        // The shipped stdio suite, pointed at the HTTP server instead (with a header read from the environment).
        string root = TestPaths.TempDirectory();
        JsonObject suite = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Root, "tasks", "tools", "mcp-calc", "suite.json")))!.AsObject();
        suite["suite"] = "tools/mcp-calc-http";
        foreach (JsonNode? task in suite["tasks"]!.AsArray())
            task!["config"]!["server"] = new JsonObject { ["url"] = server.Endpoint.ToString(), ["headers"] = new JsonObject { ["X-Run"] = "${GYM_TEST_RUN}" } };
        Directory.CreateDirectory(Path.Combine(root, "tools", "mcp-calc-http"));
        File.WriteAllText(Path.Combine(root, "tools", "mcp-calc-http", "suite.json"), suite.ToJsonString());

        EnvRegistry registry = new EnvRegistry().AddToolEnvironments().AddMcpEnvironments();
        TaskSuite loaded = TaskSuiteLoader.Load("tools/mcp-calc-http", root, registry.Contains);
        await using (IEnvironment env = registry.Make(loaded.Tasks[0].EnvId))
        {
            Environment.SetEnvironmentVariable("GYM_TEST_RUN", null);
            InvalidDataException? missing = await Assert.ThrowsAsync<InvalidDataException>(async () => await env.ResetAsync(loaded.Tasks[0], default));
            Assert.That(missing!.Message, Does.Contain("config.server.headers.X-Run uses ${GYM_TEST_RUN}, which is not set"));
        }
        Environment.SetEnvironmentVariable("GYM_TEST_RUN", "1");
        await using IAgent oracle = registry.Get(loaded.Tasks[0].EnvId).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, loaded, null, 1, TestPaths.TempDirectory(), new RolloutOptions { MaxConcurrentEpisodes = 4 });
        Assert.That((result.Report.Episodes, result.Report.SuccessRate), Is.EqualTo((loaded.Tasks.Count, 1.0)));
        Assert.That(server.Sessions, Is.EqualTo((0, (long)loaded.Tasks.Count)), "one session per episode, each closed with its episode");
    }

    [Test]
    public void AServerAddressNeedsACommandOrAUrl()
    {
        TaskSpec Task(string server) => new() { Id = "t1", EnvId = "tools/mcp-v1", Config = JsonDocument.Parse($$"""{"server": {{server}} }""").RootElement };
        Assert.That(() => McpServerAddress.Read(Task("""{"command": "x", "url": "http://a"}""")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("exactly one of"));
        Assert.That(() => McpServerAddress.Read(Task("""{"url": "ftp://a"}""")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("config.server.url must be an http(s) URL"));
        Assert.That(() => McpServerAddress.Read(Task("""{"command": "x", "args": [1]}""")), Throws.InstanceOf<TaskFileException>().With.Property("JsonPath").EqualTo("$.config.server.args[0]"));
        Assert.That(() => McpServerAddress.Read(Task("""{"command": "x", "arg": ["a"]}""")), Throws.InstanceOf<TaskFileException>().With.Message.Contains("unknown key"));
        McpServerAddress http = McpServerAddress.Read(Task("""{"url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": "Bearer x"}}"""));
        Assert.That((http.Url, http.Headers["authorization"], http.Command), Is.EqualTo((new Uri("http://127.0.0.1:9/mcp"), "Bearer x", (string?)null)));
    }
}
