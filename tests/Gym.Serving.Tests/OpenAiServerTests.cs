using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Testing;

namespace Gym.Serving.Tests;

/// <summary>The OpenAI-compatible API over real HTTP, against a real (small) model.</summary>
[TestFixture]
public sealed class OpenAiServerTests
{
    private static readonly ByteTokenizer Tokenizer = ServedModels.Tokenizer;
    private CausalLanguageModel _model = null!;
    private OpenAiServer _server = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _model = new CausalLanguageModel(ServedModels.Tiny(), seed: 5);
        _server = await ServedModels.ServeAsync(_model);
        _http = new HttpClient { BaseAddress = _server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _model.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, JsonObject body)
    {
        using HttpResponseMessage response = await _http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static JsonObject Chat(string user, params (string Key, JsonNode? Value)[] fields)
    {
        JsonObject body = new()
        {
            ["model"] = "tiny",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "be brief" }, new JsonObject { ["role"] = "user", ["content"] = user }),
        };
        foreach ((string key, JsonNode? value) in fields)
            body[key] = value;
        return body;
    }

    [Test]
    public async Task ModelsAreListedWithTheirContext()
    {
        JsonObject list = JsonNode.Parse(await _http.GetStringAsync("models"))!.AsObject();
        Assert.That(list["data"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("tiny"));
        Assert.That(list["data"]![0]!["max_model_len"]!.GetValue<int>(), Is.EqualTo(512));
        using HttpResponseMessage missing = await _http.GetAsync("models/other");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AGreedyChatReplyIsTheModelsOwnWithItsUsageAndLogProbs()
    {
        (HttpStatusCode status, JsonObject body) = await PostAsync("chat/completions",
            Chat("hello there", ("temperature", 0), ("max_tokens", 12), ("logprobs", true), ("top_logprobs", 3), ("return_token_ids", true)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        int[] prompt = Tokenizer.ApplyChatTemplate([new ChatMessage("system", "be brief"), new ChatMessage("user", "hello there")], addGenerationPrompt: true);
        GenerationResult expected = new BatchGenerator(_model, Tokenizer).Generate([prompt], new GenerationOptions { MaxNewTokens = 12, Temperature = 0 })[0];
        JsonObject choice = body["choices"]![0]!.AsObject();
        Assert.That(choice["message"]!["content"]!.GetValue<string>(), Is.EqualTo(expected.Text));
        Assert.That(choice["finish_reason"]!.GetValue<string>(), Is.EqualTo(expected.Finish == FinishReason.Length ? "length" : "stop"));
        Assert.That(body["prompt_token_ids"]!.AsArray().Select(x => x!.GetValue<int>()), Is.EqualTo(prompt));
        Assert.That(choice["token_ids"]!.AsArray().Select(x => x!.GetValue<int>()), Is.EqualTo(expected.ResponseIds));
        Assert.That(body["usage"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(prompt.Length));
        Assert.That(body["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(expected.ResponseIds.Length));
        JsonArray content = choice["logprobs"]!["content"]!.AsArray();
        Assert.That(content.Select(x => x!["logprob"]!.GetValue<float>()), Is.EqualTo(expected.LogProbs).Within(1e-5));
        Assert.That(content.All(x => x!["top_logprobs"]!.AsArray().Count == 3 && x["top_logprobs"]![0]!["token"]!.GetValue<string>() == x["token"]!.GetValue<string>()),
            Is.True, "greedy tokens are the most likely of their top three");
    }

    [Test]
    public async Task CompletionsTakeAndReturnTokenIdsAndASeedRepeats()
    {
        int[] prompt = [ByteTokenizer.Bos, ByteTokenizer.User, .. Tokenizer.Encode("count"), ByteTokenizer.End, ByteTokenizer.Assistant];
        JsonObject Body(long seed) => new()
        {
            ["model"] = "tiny", ["prompt"] = new JsonArray([.. prompt.Select(i => (JsonNode)i)]), ["max_tokens"] = 10, ["seed"] = seed,
            ["temperature"] = 1.0, ["n"] = 2, ["logprobs"] = 2, ["ignore_eos"] = true,
        };
        (HttpStatusCode status, JsonObject first) = await PostAsync("completions", Body(7));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), first.ToJsonString());
        (_, JsonObject again) = await PostAsync("completions", Body(7));
        (_, JsonObject other) = await PostAsync("completions", Body(8));
        int[] Ids(JsonObject b, int i) => [.. b["choices"]![i]!["token_ids"]!.AsArray().Select(x => x!.GetValue<int>())];
        Assert.That(first["choices"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(Ids(first, 0), Has.Length.EqualTo(10), "ignore_eos runs to max_tokens");
        Assert.That(Ids(again, 0), Is.EqualTo(Ids(first, 0)));
        Assert.That(Ids(again, 1), Is.EqualTo(Ids(first, 1)));
        Assert.That(Ids(first, 1), Is.Not.EqualTo(Ids(first, 0)), "the choices of one request sample apart");
        Assert.That(Ids(other, 0), Is.Not.EqualTo(Ids(first, 0)));
        Assert.That(first["choices"]![0]!["prompt_token_ids"]!.AsArray().Select(x => x!.GetValue<int>()), Is.EqualTo(prompt));
        Assert.That(first["choices"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(Tokenizer.Decode(Ids(first, 0))));
        JsonObject logProbs = first["choices"]![0]!["logprobs"]!.AsObject();
        Assert.That(logProbs["token_logprobs"]!.AsArray(), Has.Count.EqualTo(10));
        Assert.That(logProbs["top_logprobs"]!.AsArray().All(t => t!.AsObject().Count is >= 1 and <= 2), Is.True);

        // The sampled tokens' log-probabilities are the model's, recomputed by the scorer.
        using TorchSharp.DisposeScope scope = TorchSharp.torch.NewDisposeScope();
        using IDisposable noGrad = TorchSharp.torch.no_grad();
        TokenScores scores = TokenScorer.Score(_model, [(prompt, Ids(first, 0))], Tokenizer.PadId);
        float[] scored = scores.LogProbs.ToArray<float>();
        float[] mask = scores.ResponseMask.ToArray<float>();
        float[] fromScorer = [.. scored.Where((_, t) => mask[t] == 1)];
        Assert.That(logProbs["token_logprobs"]!.AsArray().Select(x => x!.GetValue<float>()), Is.EqualTo(fromScorer).Within(1e-4));
    }

    [Test]
    public async Task AStreamSpellsTheSameReplyAsTheWholeAnswerAndCutsAtTheStop()
    {
        JsonObject whole = (await PostAsync("chat/completions", Chat("stream me", ("seed", 3), ("max_tokens", 24)))).Body;
        string text = whole["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        (string streamed, List<JsonObject> chunks) = await StreamAsync(Chat("stream me", ("seed", 3), ("max_tokens", 24), ("stream", true), ("stream_options", new JsonObject { ["include_usage"] = true })));
        Assert.That(streamed, Is.EqualTo(text));
        Assert.That(chunks.Count(c => c["choices"]!.AsArray().Count == 1), Is.GreaterThan(2), "the reply came in pieces");
        Assert.That(chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(whole["usage"]!["completion_tokens"]!.GetValue<int>()));
        Assert.That(chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]?.GetValue<string>()).Count(f => f is not null), Is.EqualTo(1));

        Assume.That(text.Length, Is.GreaterThan(6), "the random model's reply is long enough to cut");
        string stop = text.Substring(4, 2);
        (string cut, _) = await StreamAsync(Chat("stream me", ("seed", 3), ("max_tokens", 24), ("stream", true), ("stop", stop)));
        Assert.That(cut, Is.EqualTo(text[..text.IndexOf(stop, StringComparison.Ordinal)]));
    }

    private async Task<(string Text, List<JsonObject> Chunks)> StreamAsync(JsonObject body)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        using StreamReader reader = new(await response.Content.ReadAsStreamAsync());
        StringBuilder text = new();
        List<JsonObject> chunks = [];
        bool done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
                continue;
            Assert.That(done, Is.False, "nothing follows [DONE]");
            if (line == "data: [DONE]")
            {
                done = true;
                continue;
            }
            JsonObject chunk = JsonNode.Parse(line[6..])!.AsObject();
            chunks.Add(chunk);
            if (chunk["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"] is JsonValue piece)
                text.Append(piece.GetValue<string>());
        }
        Assert.That(done, Is.True, "the stream ends with [DONE]");
        return (text.ToString(), chunks);
    }

    [Test]
    public async Task ConcurrentRequestsAreBatchedAndEachGetsItsOwnReply()
    {
        JsonObject Body(int i) => Chat($"question {i}", ("seed", i), ("max_tokens", 16), ("temperature", i % 2 == 0 ? 0 : 0.9));
        string[] alone = new string[8];
        for (int i = 0; i < alone.Length; i++)
            alone[i] = (await PostAsync("chat/completions", Body(i))).Body["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        (long sequences, long batches) = _server.Counts;
        JsonObject[] together = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i => (await PostAsync("chat/completions", Body(i))).Body));
        (long sequencesAfter, long batchesAfter) = _server.Counts;
        Assert.That(sequencesAfter - sequences, Is.EqualTo(8));
        Assert.That(batchesAfter - batches, Is.LessThan(8), "concurrent requests share batches");
        Assert.That(together.Select(b => b["choices"]![0]!["message"]!["content"]!.GetValue<string>()), Is.EqualTo(alone),
            "a seeded reply does not depend on which requests share its batch");
    }

    [Test]
    public async Task GuidedChoiceRepliesWithOneOfTheStrings()
    {
        string[] options = ["go north", "go south", "open the door"];
        for (int seed = 0; seed < 6; seed++)
        {
            JsonObject body = (await PostAsync("chat/completions", Chat("where now?", ("seed", seed), ("guided_choice", new JsonArray([.. options.Select(o => (JsonNode)o)]))))).Body;
            Assert.That(options, Does.Contain(body["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        }
    }

    [TestCase("""{"model": "other", "messages": [{"role": "user", "content": "x"}]}""", 404, "model")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "robot", "content": "x"}]}""", 400, "messages[0].role")]
    [TestCase("""{"model": "tiny", "messages": []}""", 400, "messages")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "temperature": 3}""", 400, "temperature")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "max_tokens": 100000}""", 400, "max_tokens")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "frequency_penalty": 0.5}""", 400, "frequency_penalty")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}""", 400, "messages[0].content[0]")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}""", 400, "tools[0].function")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "top_logprobs": 2}""", 400, "top_logprobs")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "guided_choice": []}""", 400, "guided_choice")]
    [TestCase("""{"model": "tiny", "messages": [{"role": "user", "content": "x"}""", 400, null)]
    public async Task BadRequestsAreRefusedWithTheFieldAtFault(string json, int status, string? param)
    {
        using HttpResponseMessage response = await _http.PostAsync("chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        JsonObject error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.AsObject();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), error.ToJsonString());
        Assert.That(error["param"]?.GetValue<string>(), Is.EqualTo(param));
        Assert.That(error["message"]!.GetValue<string>(), Is.Not.Empty);
    }

    [TestCase("""{"model": "tiny", "prompt": [1, 2, 99999]}""", "prompt[2]")]
    [TestCase("""{"model": "tiny", "prompt": ""}""", "prompt")]
    [TestCase("""{"model": "tiny", "prompt": "x", "echo": true}""", "echo")]
    [TestCase("""{"model": "tiny", "prompt": [[1, 2], {"a": 1}]}""", "prompt[1]")]
    public async Task BadCompletionRequestsNameTheField(string json, string param)
    {
        using HttpResponseMessage response = await _http.PostAsync("completions", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>(), Is.EqualTo(param));
    }
}
