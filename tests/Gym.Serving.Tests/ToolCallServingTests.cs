using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Testing;

namespace Gym.Serving.Tests;

/// <summary>Tool calls: how offered tools reach the prompt, and how a reply in the call syntax comes back as tool_calls.</summary>
[TestFixture]
public sealed class ToolCallServingTests
{
    private static readonly JsonArray Tools = JsonNode.Parse("""
        [{"type": "function", "function": {"name": "calculate", "description": "Evaluates arithmetic.",
          "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}}]
        """)!.AsArray();

    [Test]
    public void RepliesAreReadAsCallsOnlyWhenEveryBlockIsWellFormed()
    {
        (string? content, var calls) = ChatPrompt.ParseReply("""Let me see. <tool_call>{"name": "calculate", "arguments": {"expression": "2+2"}}</tool_call><tool_call>{"name": "f", "arguments": "{\"a\": 1}"}</tool_call>""");
        Assert.That(content, Is.EqualTo("Let me see."));
        Assert.That(calls, Is.EqualTo(new[] { ("calculate", """{"expression":"2+2"}"""), ("f", """{"a": 1}""") }));
        Assert.That(ChatPrompt.ParseReply("""<tool_call>{"name": "calculate", "arguments": {"expression": "2+2"}}""").Calls, Is.Empty, "an unclosed block is content");
        Assert.That(ChatPrompt.ParseReply("""<tool_call>{"arguments": {}}</tool_call>""").Calls, Is.Empty, "a call needs a name");
        Assert.That(ChatPrompt.ParseReply("the answer is 4"), Is.EqualTo(((string?)"the answer is 4", new List<(string, string)>())));
    }

    [Test]
    public void ToolsAndEarlierCallsAreRenderedInTheCallSyntax()
    {
        JsonArray messages = JsonNode.Parse("""
            [{"role": "user", "content": "2+2?"},
             {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "calculate", "arguments": "{\"expression\": \"2+2\"}"}}]},
             {"role": "tool", "tool_call_id": "c1", "content": "{\"result\": 4}"}]
            """)!.AsArray();
        List<ChatMessage> chat = ChatPrompt.Messages(messages, Tools);
        Assert.That(chat.Select(m => m.Role), Is.EqualTo(new[] { "system", "user", "assistant", "observation" }));
        Assert.That(chat[0].Content, Does.Contain("\"name\":\"calculate\"").And.Contain("<tool_call>"));
        Assert.That(chat[2].Content, Is.EqualTo("""<tool_call>{"name":"calculate","arguments":{"expression":"2+2"}}</tool_call>"""));
        Assert.That(chat[3].Content, Is.EqualTo("""{"result": 4}"""));
    }

    [Test]
    public async Task AModelThatRepliesInTheCallSyntaxComesBackAsToolCalls()
    {
        using CausalLanguageModel model = new(ServedModels.Tiny(), seed: 6);
        const string Reply = """<tool_call>{"name": "calculate", "arguments": {"expression": "6*7"}}</tool_call>""";
        JsonObject Body(string question, bool stream = false) => new()
        {
            ["model"] = "tiny", ["temperature"] = 0, ["max_tokens"] = 120, ["stream"] = stream, ["tools"] = Tools.DeepClone(),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
        };
        string[] questions = ["What is 6*7?", "Compute six times seven.", "6 times 7 = ?"];
        int[] Prompt(string q) => ServedModels.Tokenizer.ApplyChatTemplate(ChatPrompt.Messages(Body(q)["messages"]!.AsArray(), Tools), addGenerationPrompt: true);
        ServedModels.Overfit(model, [.. questions.Select(Prompt)], Reply);
        await using OpenAiServer server = await ServedModels.ServeAsync(model);
        using HttpClient http = new() { BaseAddress = server.BaseUrl };
        using HttpResponseMessage response = await http.PostAsync("chat/completions", new StringContent(Body(questions[0]).ToJsonString(), Encoding.UTF8, "application/json"));
        JsonObject body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        JsonObject choice = body["choices"]![0]!.AsObject();
        Assert.That(choice["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"), choice.ToJsonString());
        JsonObject call = choice["message"]!["tool_calls"]![0]!.AsObject();
        Assert.That(call["type"]!.GetValue<string>(), Is.EqualTo("function"));
        Assert.That(call["id"]!.GetValue<string>(), Does.StartWith("call_"));
        Assert.That(call["function"]!["name"]!.GetValue<string>(), Is.EqualTo("calculate"));
        Assert.That(JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!["expression"]!.GetValue<string>(), Is.EqualTo("6*7"));
        Assert.That(choice["message"]!["content"], Is.Null);

        // Streamed, the calls come whole in the last delta, each with its index.
        using HttpRequestMessage request = new(HttpMethod.Post, "chat/completions") { Content = new StringContent(Body(questions[1], stream: true).ToJsonString(), Encoding.UTF8, "application/json") };
        using HttpResponseMessage streamed = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        string events = await streamed.Content.ReadAsStringAsync();
        JsonObject last = events.Split("\n\n").Where(e => e.StartsWith("data: {", StringComparison.Ordinal)).Select(e => JsonNode.Parse(e[6..])!.AsObject()).Last();
        Assert.That(last["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
        Assert.That(last["choices"]![0]!["delta"]!["tool_calls"]![0]!["index"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(events.TrimEnd(), Does.EndWith("data: [DONE]"));
    }
}
