using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Envs.Tools.Calc;
using Gym.Testing;

namespace Gym.Envs.Tools.Tests;

[TestFixture]
public sealed class ToolCallParserTests
{
    [Test]
    public void TheThreeFormsGiveTheSameCalls()
    {
        ParsedToolAction native = ToolCallParser.Parse(new AgentAction { Text = "", ToolCalls = [new ToolCall("1", "calculate", """{"expression": "1+2"}""")] });
        ParsedToolAction tagged = ToolCallParser.Parse(AgentAction.FromText("I'll compute. <tool_call>{\"name\": \"calculate\", \"arguments\": {\"expression\": \"1+2\"}}</tool_call>"));
        ParsedToolAction python = ToolCallParser.Parse(AgentAction.FromText("[calculate(expression='1+2')]"));
        foreach (ParsedToolAction p in new[] { native, tagged, python })
        {
            Assert.That(p.Error, Is.Null);
            Assert.That(p.Calls.Select(c => (c.Name, c.Arguments.ToJsonString(ToolJson.Options))), Is.EqualTo(new[] { ("calculate", """{"expression":"1+2"}""") }));
        }
    }

    [Test]
    public void PythonListsTakeEveryLiteral()
    {
        ParsedToolAction p = ToolCallParser.Parse(AgentAction.FromText("[f(a=1, b=-2.5, c=\"x\\\"y\", d=True, e=None, g=[1, 'two'], h={'k': False}), g()]"));
        Assert.That(p.Error, Is.Null);
        Assert.That(p.Calls[0].Arguments.ToJsonString(ToolJson.Options), Is.EqualTo("""{"a":1,"b":-2.5,"c":"x\"y","d":true,"e":null,"g":[1,"two"],"h":{"k":false}}"""));
        Assert.That(p.Calls[1].Name, Is.EqualTo("g"));
    }

    [TestCase("<tool_call>{not json}</tool_call>", "not valid JSON")]
    [TestCase("<tool_call>{\"arguments\": {}}</tool_call>", "string \"name\"")]
    [TestCase("<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>", "must be a JSON object")]
    [TestCase("[f(a=1, a=2)]", "given twice")]
    [TestCase("[f(a=)]", "expected a value")]
    [TestCase("[f(a='open)]", "not closed")]
    [TestCase("hello", "No tool call or answer found")]
    public void MalformedCallsBecomeFeedback(string text, string message)
    {
        ParsedToolAction p = ToolCallParser.Parse(AgentAction.FromText(text));
        Assert.That(p.Error, Does.Contain(message));
        Assert.That(p.Calls, Is.Empty);
    }

    [Test]
    public void AnAnswerEndsTheTurn() =>
        Assert.That(ToolCallParser.Parse(AgentAction.FromText("So: <answer> 42 km </answer>")).Answer, Is.EqualTo("42 km"));
}

[TestFixture]
public sealed class JsonSchemaValidatorTests
{
    private static List<string> Check(string value, string schema)
    {
        using JsonDocument v = JsonDocument.Parse(value), s = JsonDocument.Parse(schema);
        return JsonSchemaValidator.Validate(v.RootElement, s.RootElement);
    }

    [Test]
    public void ViolationsNameThePath()
    {
        const string schema = """{"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}, "u": {"enum": ["m", "km"]}, "xs": {"type": "array", "items": {"type": "string"}}}, "required": ["n"], "additionalProperties": false}""";
        Assert.That(Check("""{"n": 3, "u": "m", "xs": ["a"]}""", schema), Is.Empty);
        Assert.That(Check("""{"u": "mi"}""", schema), Is.EquivalentTo(new[] { "$: Required properties [\"n\"] are not present", "$.u: Value should match one of the values specified by the enum" }));
        Assert.That(Check("""{"n": 1.5}""", schema), Is.EqualTo(new[] { "$.n: Value is \"number\" but should be \"integer\"" }));
        Assert.That(Check("""{"n": -1, "xs": [1], "z": 0}""", schema), Is.EquivalentTo(new[]
        {
            "$.n: -1 should be at least 0",
            "$.xs[0]: Value is \"integer\" but should be \"string\"",
            "$.z: All values fail against the false schema",   // additionalProperties: false
        }));
    }

    [Test]
    public void TheWholeOfDraft202012Applies()
    {
        // Keywords the former hand-written subset ignored: a user's schema means what JSON Schema says it means.
        const string schema = """{"type": "object", "properties": {"when": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "tags": {"type": "array", "uniqueItems": true, "maxItems": 2}, "pick": {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 2}]}, "ref": {"$ref": "#/$defs/positive"}}, "$defs": {"positive": {"type": "number", "exclusiveMinimum": 0}}}""";
        Assert.That(Check("""{"when": "2026-12", "tags": ["a", "b"], "pick": 3, "ref": 0.5}""", schema), Is.Empty);
        Assert.That(Check("""{"when": "Dec 2026"}""", schema), Has.One.StartsWith("$.when: "));
        Assert.That(Check("""{"tags": ["a", "a"]}""", schema), Has.Some.StartsWith("$.tags: "));
        Assert.That(Check("""{"tags": ["a", "b", "c"]}""", schema), Has.Some.StartsWith("$.tags: "));
        Assert.That(Check("""{"pick": "x"}""", schema), Is.Not.Empty);
        Assert.That(Check("""{"ref": 0}""", schema), Has.Some.StartsWith("$.ref: "));
    }
}

[TestFixture]
public sealed class CalcEnvironmentTests
{
    [TestCase("2 + 3 * 4", 14)]
    [TestCase("(2 + 3) * 4", 20)]
    [TestCase("2 ^ 3 ^ 2", 512)]
    [TestCase("-3 + 10 / 4", -0.5)]
    public void ArithmeticFollowsPrecedence(string expression, double value) => Assert.That(Arithmetic.Evaluate(expression), Is.EqualTo(value).Within(1e-12));

    [Test]
    public void UnitsConvert()
    {
        Assert.That(CalcTools.Convert(100, "C", "F"), Is.EqualTo(212).Within(1e-9));
        Assert.That(CalcTools.Convert(1, "mi", "km"), Is.EqualTo(1.609344).Within(1e-12));
        Assert.That(CalcTools.Convert(1, "lb", "oz"), Is.EqualTo(16).Within(1e-9));
        Assert.Throws<ToolException>(() => CalcTools.Convert(1, "kg", "m"));
    }

    [Test]
    public async Task BadCallsGetFeedbackAndTheRightAnswerIsRewarded()
    {
        await using CalcEnvironment env = new();
        TaskSpec task = new() { Id = "t", EnvId = CalcEnvironment.Id, Seed = 100003 };
        Observation start = await env.ResetAsync(task, default);
        Assert.That(start.Tools.Select(t => t.Name), Is.EqualTo(new[] { "calculate", "convert_units", "days_between", "add_days" }));
        StepResult unknown = await env.StepAsync(AgentAction.FromText("[sqrt(x=4)]"));
        Assert.That((unknown.Info.ActionValid, unknown.Observation.Text), Is.EqualTo((false, "There is no tool 'sqrt'. Tools: calculate, convert_units, days_between, add_days.")));
        StepResult schema = await env.StepAsync(AgentAction.FromText("[convert_units(value='ten', from_unit='km', to_unit='parsec')]"));
        Assert.That(schema.Observation.Text, Does.Contain("$.value: Value is \"string\" but should be \"number\"").And.Contain("$.to_unit: "));
        StepResult divide = await env.StepAsync(AgentAction.FromText("[calculate(expression='1/0')]"));
        Assert.That((divide.Info.ActionValid, divide.Observation.Text), Is.EqualTo((true, "calculate{\"expression\":\"1/0\"} -> {\"error\":\"The expression has no finite value (division by zero?).\"}")));
        CalcProblem problem = CalcProblem.Generate(100003);
        StepResult answered = await env.StepAsync(AgentAction.FromText($"<answer>{problem.Answer}</answer>"));
        Assert.That((answered.Reward, answered.Terminated, answered.Info.Success), Is.EqualTo((1.0, true, true)));
    }

    [Test, CancelAfter(120_000)]
    public async Task TheOracleSolvesEveryTaskAndRandomDoesNot()
    {
        EnvRegistry registry = new EnvRegistry().AddToolEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("tools/calc", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        Assert.That((suite.Split("train").Count, suite.Split("test").Count), Is.EqualTo((400, 100)));
        await using IAgent oracle = registry.Get(CalcEnvironment.Id).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, null, 1, TestPaths.TempDirectory());
        Assert.That(result.Report.SuccessRate, Is.EqualTo(1.0));
        Assert.That(CalcProblem.Generate(1).IsCorrect("no idea"), Is.False);
    }
}

[TestFixture]
public sealed class BfclCheckerTests
{
    private static ParsedToolCall Call(string text) => ToolCallParser.Parse(AgentAction.FromText(text)).Calls.Single();

    private static List<ParsedToolCall> Calls(string text) => [.. ToolCallParser.Parse(AgentAction.FromText(text)).Calls];

    private static readonly GoldCall Weather = new("get_weather", new Dictionary<string, IReadOnlyList<System.Text.Json.Nodes.JsonNode?>>
    {
        ["city"] = ["Paris", "Paris, France"],
        ["unit"] = ["celsius", GoldCall.Omitted],
        ["days"] = [3],
    });

    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}, "days": {"type": "integer"}}}""").RootElement;

    [Test]
    public void SingleCallsFollowBfclsRules()
    {
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='paris ', days=3)]")], Weather, Schema).Ok, Is.True, "optional omitted, case and spaces ignored");
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='Paris, France', unit='celsius', days=3)]")], Weather, Schema).Ok, Is.True, "an alternative value");
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='Paris')]")], Weather, Schema).Reason, Is.EqualTo("get_weather: missing parameter 'days'"));
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='Paris', days=3.5)]")], Weather, Schema).Reason, Is.EqualTo("get_weather.days: expected integer, got number"));
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='Rome', days=3)]")], Weather, Schema).Reason, Does.Contain("not an accepted value"));
        Assert.That(BfclChecker.CheckSingle([Call("[get_weather(city='Paris', days=3, hourly=True)]")], Weather, Schema).Reason, Does.Contain("unexpected parameter 'hourly'"));
        Assert.That(BfclChecker.CheckSingle([Call("[get_time(city='Paris')]")], Weather, Schema).Reason, Is.EqualTo("called get_time, expected get_weather"));
    }

    [Test]
    public void ParallelCallsMatchInAnyOrder()
    {
        GoldCall[] gold = [BfclChecker.Exact(Call("[add(a=1, b=2)]")), BfclChecker.Exact(Call("[add(a=1, b=3)]")), BfclChecker.Exact(Call("[mul(a=2, b=2)]"))];
        Assert.That(BfclChecker.CheckParallel(Calls("[mul(a=2, b=2), add(a=1, b=3), add(a=1, b=2)]"), gold).Ok, Is.True);
        Assert.That(BfclChecker.CheckParallel(Calls("[add(a=1, b=2), add(a=1, b=2), mul(a=2, b=2)]"), gold).Ok, Is.False, "each gold call is matched once");
        Assert.That(BfclChecker.CheckParallel(Calls("[add(a=1, b=2)]"), gold).Reason, Is.EqualTo("expected 3 calls, got 1"));
    }
}

[TestFixture]
public sealed class ToolRlRewardTests
{
    [Test]
    public void EachPartScoresItsOwnMatch()
    {
        List<ParsedToolCall> gold = [.. ToolCallParser.Parse(AgentAction.FromText("[convert_units(value=3, from_unit='mi', to_unit='km')]")).Calls];
        List<ParsedToolCall> close = [.. ToolCallParser.Parse(AgentAction.FromText("[convert_units(value=4, from_unit='mi', to='km')]")).Calls];
        var score = ToolRlReward.Score(true, close, gold, new ShapingWeights(1, 1, 1, 1));
        Assert.That((score.Format, score.Name), Is.EqualTo((1.0, 1.0)));
        Assert.That(score.ParameterName, Is.EqualTo(2.0 / 4).Within(1e-12), "value and from_unit of value, from_unit, to, to_unit");
        Assert.That(score.ParameterValue, Is.EqualTo(1.0 / 3).Within(1e-12), "from_unit only");
        Assert.That(score.Reward, Is.EqualTo(1 + 1 + 0.5 + 1.0 / 3).Within(1e-12));
        Assert.That(ToolRlReward.Score(false, [], gold, new ShapingWeights(1, 1, 1, 1)).Reward, Is.Zero);
    }

    [Test]
    public async Task TheCalcEnvironmentShapesRewardsWhenAsked()
    {
        using JsonDocument evaluator = JsonDocument.Parse("""{"shaping": {"format": 0.1, "name": 0.1, "parameterName": 0.1, "parameterValue": 0.1}}""");
        TaskSpec task = new() { Id = "t", EnvId = CalcEnvironment.Id, Seed = 5, Evaluator = evaluator.RootElement.Clone() };
        CalcProblem problem = CalcProblem.Generate(5);
        await using CalcEnvironment env = new();
        await env.ResetAsync(task, default);
        ParsedToolCall first = problem.GoldCalls[0];
        StepResult right = await env.StepAsync(AgentAction.FromText($"<tool_call>{{\"name\": \"{first.Name}\", \"arguments\": {first.Arguments.ToJsonString()}}}</tool_call>"));
        Assert.That(right.Reward, Is.EqualTo(0.4).Within(1e-9));
        Assert.That(right.Info.Extras["shaping_parameter_value"], Is.EqualTo(1.0));
        StepResult garbled = await env.StepAsync(AgentAction.FromText("<tool_call>{oops</tool_call>"));
        Assert.That(garbled.Reward, Is.EqualTo(0));
    }
}

[TestFixture]
public sealed class CalcToolArgumentTests
{
    [Test]
    public async Task IntegerAndFloatLiteralsWorkInEveryForm()
    {
        await using CalcEnvironment env = new();
        await env.ResetAsync(new TaskSpec { Id = "t", EnvId = CalcEnvironment.Id, Seed = 1 }, default);
        StepResult python = await env.StepAsync(AgentAction.FromText("[convert_units(value=3, from_unit='mi', to_unit='km'), add_days(date='2024-02-28', days=2)]"));
        Assert.That(python.Observation.Text, Does.Contain("{\"result\":4.828032}").And.Contain("{\"date\":\"2024-03-01\"}"));
        StepResult json = await env.StepAsync(AgentAction.FromText("<tool_call>{\"name\": \"convert_units\", \"arguments\": {\"value\": 3.5, \"from_unit\": \"kg\", \"to_unit\": \"g\"}}</tool_call>"));
        Assert.That(json.Observation.Text, Does.Contain("{\"result\":3500}"));
    }
}

[TestFixture]
public sealed class SearchEnvironmentTests
{
    [Test]
    public void Bm25RanksTheArticleOfANameFirst()
    {
        Gym.Envs.Tools.Search.SearchWorld world = Gym.Envs.Tools.Search.SearchWorld.Default;
        Assert.That(world.Documents, Has.Count.EqualTo(12 + 36 + 80 + 30));
        foreach (var company in world.Companies)
            Assert.That(world.Index.Search(company.Name, 1)[0].Document.Title, Is.EqualTo(company.Name));
        Assert.That(world.Index.Search("zzzz unknown"), Is.Empty);
    }

    [Test, CancelAfter(120_000)]
    public async Task TheOracleAnswersEveryQuestionByLookingItUp()
    {
        EnvRegistry registry = new EnvRegistry().AddToolEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("tools/search", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        await using IAgent oracle = registry.Get(Gym.Envs.Tools.Search.SearchEnvironment.Id).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, null, 1, TestPaths.TempDirectory());
        Assert.That((result.Report.SuccessRate, result.Report.Aborted), Is.EqualTo((1.0, 0L)));
        Assert.That(result.Report.MeanSteps, Is.GreaterThan(4), "every question takes lookups");
    }

    [Test]
    public async Task AGuessWithoutLookingIsWrong()
    {
        await using Gym.Envs.Tools.Search.SearchEnvironment env = new();
        await env.ResetAsync(new TaskSpec { Id = "t", EnvId = Gym.Envs.Tools.Search.SearchEnvironment.Id, Seed = 3 }, default);
        StepResult guess = await env.StepAsync(AgentAction.FromText("<answer>Paris</answer>"));
        Assert.That(guess.Reward, Is.Zero);
    }
}

[TestFixture]
public sealed class RetailEnvironmentTests
{
    private static ToolProblem ProblemOf(long seed) => Gym.Envs.Tools.Retail.RetailDomain.Instance.Problem(seed);

    private static long SeedWhere(Func<ToolProblem, bool> wanted) => Enumerable.Range(0, 500).Select(i => (long)i).First(s => wanted(ProblemOf(s)));

    private static string Call(ParsedToolCall c) => $"<tool_call>{{\"name\": \"{c.Name}\", \"arguments\": {c.Arguments.ToJsonString()}}}</tool_call>";

    [Test, CancelAfter(120_000), Category("Slow")]
    public async Task TheOracleServesEveryCustomer()
    {
        EnvRegistry registry = new EnvRegistry().AddToolEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("tools/retail", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        await using IAgent oracle = registry.Get(Gym.Envs.Tools.Retail.RetailEnvironment.Id).OracleFactory!();
        EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, null, 1, TestPaths.TempDirectory());
        Assert.That((result.Report.SuccessRate, result.Report.Aborted), Is.EqualTo((1.0, 0L)));
        // Every kind of request occurs: cancellations (done and refused), zip changes, status questions, missing emails.
        List<ToolProblem> problems = [.. suite.Tasks.Select(t => ProblemOf(t.Seed))];
        Assert.That(problems.Count(p => p.GoldCalls.Any(c => c.Name == "cancel_order")), Is.GreaterThan(20));
        Assert.That(problems.Count(p => p.Question.Contains("cancel", StringComparison.Ordinal) && p.GoldCalls.All(c => c.Name != "cancel_order")), Is.GreaterThan(20));
        Assert.That(problems.Count(p => p.GoldCalls.Any(c => c.Name == "update_zip")), Is.GreaterThan(20));
        Assert.That(problems.Count(p => p.Question.Contains("status", StringComparison.Ordinal)), Is.GreaterThan(20));
        Assert.That(problems.Count(p => p.GoldCalls[0].Name == "ask_user"), Is.GreaterThan(50));
    }

    [Test]
    public async Task TheRightWordsAfterTheWrongChangeFail()
    {
        long seed = SeedWhere(p => p.GoldCalls.Any(c => c.Name == "cancel_order"));
        ToolProblem problem = ProblemOf(seed);
        string target = problem.GoldCalls.Single(c => c.Name == "cancel_order").Arguments["order_id"]!.GetValue<string>();
        await using Gym.Envs.Tools.Retail.RetailEnvironment env = new();
        await env.ResetAsync(new TaskSpec { Id = "t", EnvId = Gym.Envs.Tools.Retail.RetailEnvironment.Id, Seed = seed }, default);
        foreach (ParsedToolCall call in problem.GoldCalls.Where(c => c.Name != "cancel_order"))
            await env.StepAsync(AgentAction.FromText(Call(call)));
        // Cancel a different order of the same user too: the database no longer matches the gold one.
        string user = target[..4];
        string other = new[] { "1", "2", "3" }.Select(n => $"{user}{n}").First(o => o != target);
        await env.StepAsync(AgentAction.FromText($"[cancel_order(order_id='{other}'), cancel_order(order_id='{target}')]"));
        StepResult end = await env.StepAsync(AgentAction.FromText($"<answer>{problem.Answer}</answer>"));
        Assert.That(end.Info.Success, Is.False);
    }

    [Test]
    public async Task RefusingAShippedOrderIsTheRightOutcome()
    {
        long seed = SeedWhere(p => p.Question.Contains("cancel", StringComparison.Ordinal) && p.GoldCalls.All(c => c.Name != "cancel_order"));
        ToolProblem problem = ProblemOf(seed);
        await using Gym.Envs.Tools.Retail.RetailEnvironment env = new();
        await env.ResetAsync(new TaskSpec { Id = "t", EnvId = Gym.Envs.Tools.Retail.RetailEnvironment.Id, Seed = seed }, default);
        foreach (ParsedToolCall call in problem.GoldCalls)
            await env.StepAsync(AgentAction.FromText(Call(call)));
        string order = problem.GoldCalls.Last().Arguments["order_id"]!.GetValue<string>();
        StepResult refused = await env.StepAsync(AgentAction.FromText($"[cancel_order(order_id='{order}')]"));
        Assert.That(refused.Observation.Text, Does.Contain("only pending orders can be cancelled"));
        StepResult end = await env.StepAsync(AgentAction.FromText($"<answer>{problem.Answer}</answer>"));
        Assert.That(end.Info.Success, Is.True, "the refused call changed nothing");
    }

    [Test]
    public void CancellingRestocksTheItemsAndOnlyPendingOrdersCanBeCancelled()
    {
        using IToolEpisode episode = Gym.Envs.Tools.Retail.RetailDomain.Instance.Start(3);
        JsonObject Run(string name, string key, string value) => episode.Invoke(name, new JsonObject { [key] = value });
        JsonArray orders = Run("list_orders", "user_id", "U001")["orders"]!.AsArray();
        string pending = orders.First(o => o!["status"]!.GetValue<string>() == "pending")!["order_id"]!.GetValue<string>();
        JsonObject item = Run("get_order", "order_id", pending)["items"]!.AsArray()[0]!.AsObject();
        string product = item["product_id"]!.GetValue<string>();
        long before = Run("get_product", "product_id", product)["stock"]!.GetValue<long>();
        Assert.That(Run("cancel_order", "order_id", pending)["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(Run("get_product", "product_id", product)["stock"]!.GetValue<long>(), Is.EqualTo(before + item["quantity"]!.GetValue<long>()));
        Assert.That(Run("get_order", "order_id", pending)["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(Assert.Throws<ToolException>(() => Run("cancel_order", "order_id", pending))!.Message, Does.Contain("is cancelled; only pending orders"));
        Assert.That(Assert.Throws<ToolException>(() => episode.Invoke("update_zip", new JsonObject { ["user_id"] = "U001", ["zip"] = "12ab" }))!.Message, Does.Contain("five-digit"));
    }
}
