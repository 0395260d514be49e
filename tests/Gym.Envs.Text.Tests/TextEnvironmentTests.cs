using Gym.Agents;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Envs.Text;
using Gym.Envs.Text.FrozenLake;
using Gym.Envs.Text.Household;
using Gym.Envs.Text.Sokoban;
using Gym.Testing;

namespace Gym.Envs.Text.Tests;

[TestFixture]
public sealed class TextEnvironmentTests
{
    private static EnvRegistry Registry() => new EnvRegistry().AddTextEnvironments();

    private static TaskSuite Suite(string name) => TaskSuiteLoader.Load(name, Path.Combine(TestPaths.Root, "tasks"), Registry().Contains);

    [TestCase("text/sokoban")]
    [TestCase("text/frozenlake")]
    [TestCase("text/household")]
    [CancelAfter(300_000)]
    public async Task TheOracleSolvesEveryTaskOfTheSuite(string suiteName)
    {
        EnvRegistry registry = Registry();
        TaskSuite suite = Suite(suiteName);
        Assert.That(suite.Split("train"), Has.Count.GreaterThanOrEqualTo(200));
        Assert.That(suite.Split("test"), Has.Count.GreaterThanOrEqualTo(50));
        await using RolloutRunner runner = new(registry, new OracleAgent(registry), new RolloutOptions { MaxConcurrentEpisodes = 2 });
        List<string> failed = [];
        int episodes = 0;
        await foreach (EpisodeGroup group in runner.RunAsync(suite.Tasks))
        {
            foreach (var e in group.Episodes)
            {
                episodes++;
                if (!e.Outcome.Success || e.InvalidActions > 0)
                    failed.Add($"{e.TaskId}: success={e.Outcome.Success} invalid={e.InvalidActions} steps={e.Steps.Count}");
            }
        }
        Assert.That(episodes, Is.EqualTo(suite.Tasks.Count));
        Assert.That(failed, Is.Empty, string.Join("\n", failed));
    }

    [Test]
    public async Task AMisspeltConfigKeyIsRefusedWithTheFileAndTheJsonPath()
    {
        string file = Path.Combine(TestPaths.TempDirectory(), "suite.json");
        File.WriteAllText(file, """
            {"suite": "t/lake", "env": "text/frozenlake-v1",
             "generate": [{"split": "train", "seeds": {"from": 0, "count": 2}, "config": {"size": 4, "slipery": true}}]}
            """);
        TaskSuite suite = TaskSuiteLoader.Load(file, TestPaths.TempDirectory());
        await using FrozenLakeEnvironment env = new();
        TaskFileException? error = null;
        try
        {
            await env.ResetAsync(suite.Tasks[0], default);
        }
        catch (TaskFileException e)
        {
            error = e;
        }
        Assert.That(error, Is.Not.Null, "a misspelt key must not take the default");
        Assert.That((error!.File, error.JsonPath), Is.EqualTo((file, "$.generate[0].config.slipery")));
        Assert.That(error.Message, Does.Contain("unknown key").And.Contain("train-0"));

        TaskSpec wrongKind = suite.Tasks[0] with { Config = System.Text.Json.JsonDocument.Parse("""{"size": "four"}""").RootElement };
        Assert.That(async () => await env.ResetAsync(wrongKind, default), Throws.InstanceOf<TaskFileException>().With.Property("JsonPath").EqualTo("$.generate[0].config.size"));
        Assert.That(async () => await env.StepAsync(AgentAction.FromText("left")), Throws.InstanceOf<InvalidOperationException>().With.Message.Contains("no running episode"),
            "a reset that failed leaves no episode to step");
    }

    [Test]
    public void SokobanPushesBoxesAndRespectsWalls()
    {
        SokobanLevel level = SokobanLevel.Parse("#####\n#@$.#\n#####");
        Assert.That(level.TryMove(1, 0, out bool pushed) && pushed, Is.True);
        Assert.That(level.Solved, Is.True);
        Assert.That(level.Render(), Is.EqualTo("#####\n#_@*#\n#####"));
        Assert.That(level.TryMove(1, 0, out _), Is.False, "a box against a wall does not move");
        Assert.That(SokobanSolver.Solve(SokobanLevel.Parse("######\n#@_$.#\n######")), Is.EqualTo(new[] { "right", "right" }));
    }

    [Test]
    public void GeneratedRoomsDifferBySeedAndRepeatForTheSameSeed()
    {
        string a = SokobanGenerator.Generate(1, 7, 7, 2, 60).Render();
        Assert.That(SokobanGenerator.Generate(1, 7, 7, 2, 60).Render(), Is.EqualTo(a));
        Assert.That(Enumerable.Range(2, 20).Select(s => SokobanGenerator.Generate(s, 7, 7, 2, 60).Render()).Distinct().Count(), Is.GreaterThan(15));
        for (int seed = 0; seed < 40; seed++)
        {
            SokobanLevel level = SokobanGenerator.Generate(seed, 8, 8, 2, 80);
            Assert.That(SokobanSolver.Solve(level), Is.Not.Null, $"seed {seed} is solvable");
        }
    }

    [Test]
    public async Task FrozenLakeHolesEndTheEpisodeWithoutReward()
    {
        // Find a seed whose start is next to a hole, then step into it.
        for (int seed = 0; seed < 500; seed++)
        {
            FrozenLakeMap map = FrozenLakeMap.Generate(seed, 6, 0.8);
            int move = Enumerable.Range(0, 4).FirstOrDefault(m => map[map.Apply(map.Start, m)] == 'H', -1);
            if (move < 0)
                continue;
            await using FrozenLakeEnvironment env = new();
            TaskSpec task = new() { Id = "t", EnvId = FrozenLakeEnvironment.Id, Seed = seed };
            await env.ResetAsync(task, new ResetOptions(seed));
            StepResult bad = await env.StepAsync(AgentAction.FromText("fly"));
            Assert.That((bad.Info.ActionValid, bad.Terminated), Is.EqualTo((false, false)));
            Assert.That(bad.Observation.Text, Does.StartWith("Invalid action 'fly'"));
            StepResult fall = await env.StepAsync(AgentAction.FromText(FrozenLakeMap.Moves[move].Name));
            Assert.That((fall.Terminated, fall.Reward, fall.Info.Success), Is.EqualTo((true, 0.0, false)));
            Assert.That(fall.Observation.Text, Does.StartWith("You fell into a hole."));
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await env.StepAsync(AgentAction.FromText("up")), "no stepping after the end");
            return;
        }
        Assert.Fail("no seed puts a hole next to the start");
    }

    [Test]
    public async Task SlipperyFrozenLakeIsSeeded()
    {
        TaskSpec task = new() { Id = "t", EnvId = FrozenLakeEnvironment.Id, Seed = 9, Config = System.Text.Json.JsonSerializer.SerializeToElement(new { slippery = true }) };
        async Task<string> Walk()
        {
            await using FrozenLakeEnvironment env = new();
            await env.ResetAsync(task, new ResetOptions(9));
            List<string> keys = [];
            for (int i = 0; i < 10; i++)
            {
                StepResult r = await env.StepAsync(AgentAction.FromText("right"));
                keys.Add(r.Observation.StateKey);
                if (r.Done)
                    break;
            }
            return string.Join("|", keys);
        }
        Assert.That(await Walk(), Is.EqualTo(await Walk()));
    }

    [Test]
    public void HouseholdCommandsChangeTheWorld()
    {
        HouseholdWorld world = HouseholdGenerator.Generate(11, ["kitchen"], [HouseholdTaskType.Heat]);
        Assert.That(world.Goal, Does.StartWith("heat some"));
        List<string> plan = HouseholdOracle.Plan(world);
        foreach (string command in plan)
        {
            Assert.That(world.GoalReached, Is.False);
            Assert.That(world.Admissible(), Does.Contain(command));
            Assert.That(world.Apply(command), Is.Not.Null, command);
        }
        Assert.That(world.GoalReached, Is.True);
        Assert.That(world.Apply("fly to the moon"), Is.Null);
        Assert.That(plan, Has.Some.StartsWith("heat "));
    }

    [Test]
    public void HouseholdSuiteCoversEveryGoalAndScene()
    {
        TaskSuite suite = Suite("text/household");
        HouseholdWorld[] worlds = [.. suite.Tasks.Select(t => HouseholdEnvironment.WorldOf(t, t.Seed))];
        Assert.That(worlds.Select(w => w.TaskType).Distinct().Count(), Is.EqualTo(4));
        Assert.That(worlds.Select(w => w.Scene).Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public async Task RandomAgentIsReproducibleAndBelowTheOracle()
    {
        EnvRegistry registry = Registry();
        TaskSuite suite = Suite("text/frozenlake");
        async Task<(double Rate, string Actions)> Run()
        {
            await using RolloutRunner runner = new(registry, new RandomAgent(), new RolloutOptions { GroupSize = 2 });
            List<Gym.Core.Trajectories.Episode> all = [];
            await foreach (EpisodeGroup g in runner.RunAsync(suite.Split("test")))
                all.AddRange(g.Episodes);
            all.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return (all.Average(e => e.Outcome.Success ? 1.0 : 0.0), string.Join(",", all.SelectMany(e => e.Steps.Select(s => s.Action.Text))));
        }
        (double rate, string actions) = await Run();
        Assert.That((await Run()).Actions, Is.EqualTo(actions));
        Assert.That(rate, Is.LessThan(0.5));
    }
}
