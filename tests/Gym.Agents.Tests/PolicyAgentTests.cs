using Gym.Agents.Policy;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Text;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Testing;

namespace Gym.Agents.Tests;

[TestFixture]
public sealed class PolicyAgentTests
{
    private static ModelConfig Tiny() => new()
    {
        HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 2048,
    };

    [TestCase("go to cabinet 1", "go to cabinet 1")]
    [TestCase("  up\nbecause it is closer", "up")]
    [TestCase("I think <action>open fridge 1</action> is best", "open fridge 1")]
    [TestCase("<ACTION> left ", "left")]
    [TestCase("", "")]
    [TestCase("\n \n", "")]
    public void ActionsAreExtractedFromTheDocumentedFormat(string response, string action) =>
        Assert.That(PromptRenderer.ExtractAction(response), Is.EqualTo(action));

    [Test, CancelAfter(300_000)]
    public async Task AnUntrainedConstrainedPolicyActsValidlyAndRecordsItsTokens()
    {
        EnvRegistry registry = new EnvRegistry().AddTextEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("text/household", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        using CausalLanguageModel model = new(Tiny(), seed: 1);
        await using PolicyAgent agent = new(model, new ByteTokenizer(), new PolicyAgentOptions { PolicyVersion = 3 });
        await using RolloutRunner runner = new(registry, agent, new RolloutOptions { GroupSize = 2, MaxConcurrentEpisodes = 4 });
        List<Episode> episodes = [];
        await foreach (EpisodeGroup g in runner.RunAsync(suite.Split("test").Take(2).Select(t => t with { Limits = new TaskLimits(MaxSteps: 4) })))
            episodes.AddRange(g.Episodes);
        Assert.That(episodes, Has.Count.EqualTo(4));
        ByteTokenizer tokenizer = new();
        foreach (EpisodeStep step in episodes.SelectMany(e => e.Steps))
        {
            Assert.That(step.Info.ActionValid, Is.True, $"'{step.Action.Text}' must be admissible");
            Assert.That(step.Observation.AdmissibleActions, Does.Contain(step.Action.Text));
            TokenTrace trace = step.Trace!;
            Assert.That(trace.PolicyVersion, Is.EqualTo(3));
            Assert.That(trace.ResponseLogProbs, Has.Length.EqualTo(trace.ResponseIds.Length));
            Assert.That(trace.ResponseLogProbs.All(lp => lp <= 0 && float.IsFinite(lp)), Is.True);
            Assert.That(tokenizer.Decode(trace.ResponseIds), Is.EqualTo(step.Action.Text), "the action is exactly the sampled tokens");
            string prompt = tokenizer.Decode(trace.PromptIds, skipSpecial: false);
            Assert.That(prompt, Does.Contain("Admissible actions: ").And.Contain(step.Observation.Text).And.EndWith("<|assistant|>"));
        }
    }

    [Test]
    public void HistoryIsBoundedInThePrompt()
    {
        TaskSpec task = new() { Id = "t", EnvId = "text/x-v1", Instruction = "do it" };
        AgentContext context = new(task, new EnvSpec { Id = "text/x-v1", Family = "text", ActionSyntax = "One word." }, new Observation { Text = "obs 0", StateKey = "0" }, 1, 0);
        List<ChatMessage> first = PromptRenderer.Messages(context, 2, true);
        Assert.That(first.Select(m => m.Role).ToArray(), Is.EqualTo(new[] { "system", "user" }));
        Assert.That(first[1].Content, Does.StartWith("Task: do it"));
        Assert.That(first[0].Content, Does.Contain("One word.").And.Contain(PromptRenderer.AnswerFormat));
    }
}
