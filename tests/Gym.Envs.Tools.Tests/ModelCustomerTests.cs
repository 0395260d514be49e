using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Envs.Tools.Retail;
using Gym.Models.Transformer;
using Gym.Serving;
using Gym.Testing;
using OpenAI.Chat;

namespace Gym.Envs.Tools.Tests;

/// <summary>The retail customer played by a real model served over the OpenAI-compatible API.</summary>
[TestFixture]
public sealed class ModelCustomerTests
{
    private const int CustomerMaxTokens = 40;

    private static TaskSpec Task(long seed, Uri baseUrl) => new()
    {
        Id = $"retail-{seed}", EnvId = RetailEnvironment.Id, Seed = seed,
        Config = JsonDocument.Parse(new JsonObject { ["customer"] = new JsonObject { ["model"] = "customer", ["baseUrl"] = baseUrl.ToString(), ["maxTokens"] = CustomerMaxTokens } }.ToJsonString()).RootElement,
    };

    private static string Reply(StepResult step) => JsonNode.Parse(step.Observation.Text[(step.Observation.Text.IndexOf("-> ", StringComparison.Ordinal) + 3)..])!["reply"]!.GetValue<string>();

    [Test, CancelAfter(180_000)]
    public async Task AskUserIsAnsweredByTheModelInCharacterWithTheConversationSoFar()
    {
        const string askEmail = "What is the email address on your account?", askOrder = "Which order do you mean?";
        CustomerBrief brief = BriefOf(7);
        // A small model taught to answer the persona's first question with the email: it can only do so if the persona reaches it.
        JsonArray firstTurn = [new JsonObject { ["role"] = "system", ["content"] = ModelCustomer.Persona(brief) }, new JsonObject { ["role"] = "user", ["content"] = askEmail }];
        using CausalLanguageModel model = new(ServedModels.Tiny(context: 1024), seed: 5);
        ServedModels.Overfit(model, [ServedModels.Tokenizer.ApplyChatTemplate(ChatPrompt.Messages(firstTurn, null), addGenerationPrompt: true)], $"It's {brief.Email}.");
        await using OpenAiServer server = await ServedModels.ServeAsync(model, "customer");

        await using RetailEnvironment env = new();
        Observation start = await env.ResetAsync(Task(7, server.BaseUrl), default);
        Assert.That(start.Text, Does.EndWith("Customer: " + brief.Request));
        StepResult first = await env.StepAsync(AgentAction.FromText($$$"""<tool_call>{"name": "ask_user", "arguments": {"question": "{{{askEmail}}}"}}</tool_call>"""));
        StepResult second = await env.StepAsync(AgentAction.FromText($$$"""<tool_call>{"name": "ask_user", "arguments": {"question": "{{{askOrder}}}"}}</tool_call>"""));
        Assert.That(Reply(first), Is.EqualTo($"It's {brief.Email}."));
        Assert.That(server.Counts.Sequences, Is.EqualTo(2), "each question is one request to the model");

        // The second request carried the whole conversation: sent by hand with the same token cap, it gets the same greedy reply.
        ChatClient client = new("customer", new System.ClientModel.ApiKeyCredential("no-key"), new OpenAI.OpenAIClientOptions { Endpoint = server.BaseUrl });
        ChatCompletion direct = (await client.CompleteChatAsync([new SystemChatMessage(ModelCustomer.Persona(brief)), new UserChatMessage(askEmail),
            new AssistantChatMessage($"It's {brief.Email}."), new UserChatMessage(askOrder)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = CustomerMaxTokens })).Value;
        Assert.That(Reply(second), Is.EqualTo(string.Concat(direct.Content.Select(p => p.Text)).Trim()));
    }

    private static CustomerBrief BriefOf(long seed)
    {
        CustomerBrief? seen = null;
        using IToolEpisode episode = RetailDomain.Instance.Start(seed, b => new ScriptedCustomer(seen = b));
        return seen!;
    }

    [Test, CancelAfter(180_000)]
    public async Task TheOracleSolvesTasksWhoseCustomerIsAModel()
    {
        using CausalLanguageModel model = new(ServedModels.Tiny(context: 1024), seed: 6);
        await using OpenAiServer server = await ServedModels.ServeAsync(model, "customer");
        EnvRegistry registry = new EnvRegistry().AddToolEnvironments();
        // Seeds whose gold solution asks the customer for their email.
        TaskSpec[] tasks = [.. Enumerable.Range(0, 40).Select(s => (long)s).Where(s => RetailDomain.Instance.Problem(s).GoldCalls[0].Name == "ask_user").Take(4).Select(s => Task(s, server.BaseUrl))];
        Assert.That(tasks, Has.Length.EqualTo(4));
        await using IAgent oracle = registry.Get(RetailEnvironment.Id).OracleFactory!();
        await using RolloutRunner runner = new(registry, oracle, new RolloutOptions { MaxConcurrentEpisodes = 2, MaxAttempts = 1 });
        List<Gym.Core.Trajectories.Episode> episodes = [];
        await foreach (EpisodeGroup g in runner.RunAsync(tasks))
            episodes.AddRange(g.Episodes);
        Assert.That(episodes.Select(e => e.Outcome.Success), Is.EqualTo(new[] { true, true, true, true }));
        Assert.That(server.Counts.Sequences, Is.EqualTo(4), "one ask_user per episode went to the model");
    }

    [Test]
    public void TheCustomerConfigIsCheckedFieldByField()
    {
        JsonElement Config(string customer) => JsonDocument.Parse(customer).RootElement;
        Assert.That(ModelCustomerOptions.Read("t", Config("\"scripted\"")), Is.Null);
        Assert.That(ModelCustomerOptions.Read("t", default), Is.Null);
        Assert.That(() => ModelCustomerOptions.Read("t", Config("""{"baseUrl": "http://a/v1"}""")), Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("Task t: config.customer.model must be a model id."));
        Assert.That(() => ModelCustomerOptions.Read("t", Config("""{"model": "m", "baseUrl": "ftp://a"}""")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("config.customer.baseUrl must be an http(s) URL"));
        Assert.That(() => ModelCustomerOptions.Read("t", Config("""{"model": "m", "baseUrl": "http://a/v1", "temp": 1}""")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("config.customer.temp is not a field"));
        Assert.That(() => ModelCustomerOptions.Read("t", Config("""{"model": "m", "baseUrl": "http://a/v1", "maxTokens": 0}""")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("maxTokens must be a positive integer"));
        ModelCustomerOptions? read = ModelCustomerOptions.Read("t", Config("""{"model": "m", "baseUrl": "http://a/v1", "temperature": 0.7}"""));
        Assert.That((read!.Model, read.BaseUrl, read.Temperature, read.MaxTokens), Is.EqualTo(("m", new Uri("http://a/v1"), 0.7, 64)));
    }
}
