using System.Net;
using System.Text.Json.Nodes;
using Gym.Agents.OpenAi;
using Gym.Agents.Policy;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Text;
using Gym.Envs.Tools;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Serving;
using Gym.Testing;

namespace Gym.Agents.Tests;

/// <summary>The OpenAI-compatible agent against <c>gym serve</c>'s server: a real model over real HTTP.</summary>
[TestFixture]
public sealed class OpenAiAgentTests
{
    private static readonly EnvRegistry Registry = new EnvRegistry().AddTextEnvironments().AddToolEnvironments();
    private static string Tasks => Path.Combine(TestPaths.Root, "tasks");

    private static async Task<List<Episode>> RunAsync(IAgent agent, IEnumerable<TaskSpec> tasks)
    {
        // One episode at a time: every request is a batch of one, as the local policy's are here.
        await using RolloutRunner runner = new(Registry, agent, new RolloutOptions { MaxConcurrentEpisodes = 1, MaxAttempts = 1 });
        List<Episode> episodes = [];
        await foreach (EpisodeGroup g in runner.RunAsync(tasks))
            episodes.AddRange(g.Episodes);
        return [.. episodes.OrderBy(e => e.TaskId, StringComparer.Ordinal)];
    }

    [Test, CancelAfter(300_000)]
    public async Task ThroughGymServeTheAgentActsExactlyAsTheLocalPolicyAndItsCacheReplaysTheRun()
    {
        string checkpoint = TestPaths.TempDirectory();
        using (CausalLanguageModel saved = new(ServedModels.Tiny(context: 1024), seed: 11))
            saved.Save(checkpoint);
        new PolicyAgentOptions { HistoryTurns = 1, Temperature = 0, MaxNewTokens = 12, SystemPrompt = "" }.Save(checkpoint);
        TaskSpec[] tasks = [.. TaskSuiteLoader.Load("text/frozenlake-4x4", Tasks, Registry.Contains).Split("test").Take(4).Select(t => t with { Limits = new TaskLimits(MaxSteps: 5) })];

        List<Episode> local;
        await using (PolicyAgent policy = PolicyAgent.FromCheckpoint(checkpoint))
            local = await RunAsync(policy, tasks);

        using CausalLanguageModel model = CausalLanguageModel.Load(checkpoint);
        await using OpenAiServer server = await ServedModels.ServeAsync(model, "frozen");
        string cache = TestPaths.TempDirectory();
        OpenAiAgentOptions options = new OpenAiAgentOptions { Model = "frozen", BaseUrl = server.BaseUrl, CacheDirectory = cache }.LikeCheckpoint(checkpoint);
        List<Episode> remote;
        (long, long) counts;
        await using (OpenAiAgent agent = new(options))
        {
            remote = await RunAsync(agent, tasks);
            counts = agent.CacheCounts;
        }
        Assert.That(remote.Select(e => e.TaskId), Is.EqualTo(local.Select(e => e.TaskId)));
        int steps = local.Sum(e => e.Steps.Count);
        for (int i = 0; i < local.Count; i++)
        {
            Assert.That(remote[i].Steps.Select(s => s.Action.Text), Is.EqualTo(local[i].Steps.Select(s => s.Action.Text)), $"episode {local[i].TaskId}");
            for (int t = 0; t < local[i].Steps.Count; t++)
            {
                // The server's token counts are the local policy's prompt and reply, token for token.
                TokenTrace trace = local[i].Steps[t].Trace!;
                Assert.That(remote[i].Steps[t].Usage, Is.EqualTo(new TokenUsage(trace.PromptIds.Length, trace.ResponseIds.Length)));
            }
        }
        Assert.That(counts, Is.EqualTo((0L, (long)steps)), "the first run asks the server for every step");

        (long sequences, _) = server.Counts;
        await using (OpenAiAgent replay = new(options))
        {
            List<Episode> again = await RunAsync(replay, tasks);
            Assert.That(again.SelectMany(e => e.Steps).Select(s => (s.Action.Text, s.Usage)), Is.EqualTo(remote.SelectMany(e => e.Steps).Select(s => (s.Action.Text, s.Usage))));
            Assert.That(replay.CacheCounts, Is.EqualTo(((long)steps, 0L)), "the replay is answered from the cache");
        }
        Assert.That(server.Counts.Sequences, Is.EqualTo(sequences), "nothing reached the server during the replay");
        Directory.Delete(checkpoint, true);
        Directory.Delete(cache, true);
    }

    [Test, CancelAfter(300_000), Category("Slow")]
    public async Task NativeToolCallsGoToTheEnvironmentAndTheirResultsComeBackAsToolMessages()
    {
        EnvSpec spec = new() { Id = "tools/adder-v1", Family = "tools", ActionSyntax = ToolCallParser.Syntax, MaxSteps = 3 };
        EnvRegistry registry = new();
        registry.Register(new EnvRegistration(spec, () => new ToolEnvironment(spec, new Adder())));
        TaskSpec[] tasks = [.. Enumerable.Range(0, 2).Select(i => new TaskSpec { Id = $"add-{i}", EnvId = spec.Id, Seed = i, Instruction = "Use the tool." })];
        JsonArray toolsJson = [.. Adder.Specs.Select(t => (JsonNode)new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = t.Name, ["description"] = t.Description, ["parameters"] = JsonNode.Parse(t.ParametersSchema) },
        })];
        // The first turn's prompts exactly as the server renders them, for the model to learn one reply to.
        List<int[]> prompts = [];
        foreach (TaskSpec task in tasks)
        {
            List<ChatMessage> rendered = PromptRenderer.Messages(task.Instruction, spec.ActionSyntax, [], new Observation { Text = new Adder().Problem(task.Seed).Question }, 64, showAdmissible: true);
            JsonArray messages = [.. rendered.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })];
            prompts.Add(ServedModels.Tokenizer.ApplyChatTemplate(ChatPrompt.Messages(messages, toolsJson), addGenerationPrompt: true));
        }
        using CausalLanguageModel model = new(ServedModels.Tiny(context: 2048), seed: 12);
        ServedModels.Overfit(model, prompts, """<tool_call>{"name": "add", "arguments": {"a": 20, "b": 22}}</tool_call>""");
        await using OpenAiServer server = await ServedModels.ServeAsync(model, "caller");
        await using OpenAiAgent agent = new(new OpenAiAgentOptions { Model = "caller", BaseUrl = server.BaseUrl, MaxTokens = 80 });

        List<Episode> episodes = [];
        await using (RolloutRunner runner = new(registry, agent, new RolloutOptions { MaxConcurrentEpisodes = 2, MaxAttempts = 1 }))
        {
            await foreach (EpisodeGroup g in runner.RunAsync(tasks))
                episodes.AddRange(g.Episodes);
        }
        Assert.That(episodes, Has.Count.EqualTo(2), "no episode was aborted");
        foreach (Episode episode in episodes)
        {
            EpisodeStep first = episode.Steps[0];
            Assert.That(first.Action.ToolCalls, Has.Count.EqualTo(1), "the reply came back as a native call: " + first.Action.Text);
            Assert.That(first.Action.ToolCalls[0].Name, Is.EqualTo("add"));
            Assert.That(first.Info.ActionValid, Is.True, first.Info.Error);
            Assert.That(episode.Steps, Has.Count.GreaterThan(1), "the second request (with the tool message) was answered too");
            Observation next = episode.Steps[1].Observation;
            Assert.That(next.ToolResults, Has.Count.EqualTo(1));
            Assert.That(next.ToolResults[0].CallId, Is.EqualTo(first.Action.ToolCalls[0].Id));
            Assert.That(JsonNode.Parse(next.ToolResults[0].Content)!["sum"]!.GetValue<double>(), Is.EqualTo(42));
            Assert.That(episode.Steps.All(s => s.Usage is { PromptTokens: > 0, CompletionTokens: > 0 }), Is.True, "usage is recorded on every step");
        }
    }

    /// <summary>One short tool, so prompts stay short enough to fine-tune on quickly.</summary>
    private sealed class Adder : IToolDomain
    {
        public static readonly ToolSpec[] Specs =
            [new("add", "a + b", """{"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}""")];

        public IReadOnlyList<ToolSpec> Tools => Specs;

        public JsonObject Invoke(string name, JsonObject arguments) =>
            new() { ["sum"] = arguments["a"]!.GetValue<double>() + arguments["b"]!.GetValue<double>() };

        public ToolProblem Problem(long seed) => new($"What is 20 + 22? (#{seed})", [], "42", a => a.Contains("42", StringComparison.Ordinal));
    }

    [Test, CancelAfter(120_000)]
    public async Task RateLimitsAndServerErrorsAreRetriedWithBackoff()
    {
        using CausalLanguageModel model = new(ServedModels.Tiny(context: 2048), seed: 13);
        await using OpenAiServer server = await ServedModels.ServeAsync(model, "flaky");
        using FlakyProxy proxy = new(server.BaseUrl, [HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable]);
        TaskSpec task = TaskSuiteLoader.Load("text/frozenlake-4x4", Tasks, Registry.Contains).Split("test")[0] with { Limits = new TaskLimits(MaxSteps: 2) };
        await using (OpenAiAgent agent = new(new OpenAiAgentOptions { Model = "flaky", BaseUrl = proxy.BaseUrl, MaxTokens = 8, MaxRetries = 3, HistoryTurns = 1 }))
        {
            List<Episode> episodes = await RunAsync(agent, [task]);
            Assert.That(episodes, Has.Count.EqualTo(1));
            Assert.That(episodes[0].Steps, Has.Count.EqualTo(2));
        }
        Assert.That(proxy.Requests, Is.EqualTo(4), "two refusals, then the two steps' requests");

        using FlakyProxy down = new(server.BaseUrl, [.. Enumerable.Repeat(HttpStatusCode.InternalServerError, 10)]);
        await using OpenAiAgent giveUp = new(new OpenAiAgentOptions { Model = "flaky", BaseUrl = down.BaseUrl, MaxTokens = 8, MaxRetries = 1 });
        AgentContext context = new(task, Registry.Get(task.EnvId).Spec, new Observation { Text = "x" }, 0, 0);
        Exception? error = await Assert.CatchAsync(async () => await giveUp.ActAsync(context));
        Assert.That(error!.Message, Does.Contain("500"));
        Assert.That(down.Requests, Is.EqualTo(2), "one try and one retry");
    }

    /// <summary>Answers the first requests with the given error statuses, then forwards to the real server.</summary>
    private sealed class FlakyProxy : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpClient _forward = new();
        private readonly Queue<HttpStatusCode> _failures;
        private readonly Uri _target;
        private int _requests;

        public FlakyProxy(Uri target, IEnumerable<HttpStatusCode> failures)
        {
            _target = target;
            _failures = new Queue<HttpStatusCode>(failures);
            int port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{port}/v1/");
            _ = Task.Run(ServeAsync);
        }

        public Uri BaseUrl { get; }

        public int Requests => Volatile.Read(ref _requests);

        private static int FreePort()
        {
            using System.Net.Sockets.TcpListener probe = new(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref _requests);
                using StreamReader reader = new(context.Request.InputStream);
                string body = await reader.ReadToEndAsync();
                HttpStatusCode? failure;
                lock (_failures)
                    failure = _failures.Count > 0 ? _failures.Dequeue() : null;
                if (failure is { } status)
                {
                    context.Response.StatusCode = (int)status;
                    context.Response.AddHeader("Retry-After", "0");
                    context.Response.Close();
                    continue;
                }
                using HttpResponseMessage response = await _forward.PostAsync(new Uri(_target, context.Request.Url!.AbsolutePath.Replace("/v1/", "", StringComparison.Ordinal)),
                    new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                byte[] bytes = await response.Content.ReadAsByteArrayAsync();
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _forward.Dispose();
        }
    }
}
