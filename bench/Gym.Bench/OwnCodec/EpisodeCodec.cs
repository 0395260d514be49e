using System.Buffers;
using Gym.Core;
using Gym.Core.Trajectories;

namespace Gym.Bench.OwnCodec;

/// <summary>
/// Encodes an <see cref="Episode"/> as a MessagePack map with snake_case string keys (so Python reads it as a
/// dict) and decodes it back. Decoding skips keys it does not know (newer writers) and names the field of any
/// error.
/// </summary>
public static class OwnEpisodeCodec
{
    /// <summary>Writes one episode.</summary>
    public static void Write(ref MessagePackWriter w, Episode e)
    {
        ArgumentNullException.ThrowIfNull(e);
        w.WriteMapHeader(18);
        w.WriteString("schema_version"u8); w.Write(Episode.SchemaVersion);
        w.WriteString("id"u8); w.Write(e.Id);
        w.WriteString("suite"u8); w.Write(e.Suite);
        w.WriteString("task_id"u8); w.Write(e.TaskId);
        w.WriteString("env_id"u8); w.Write(e.EnvId);
        w.WriteString("split"u8); w.Write(e.Split);
        w.WriteString("group"u8); w.Write(e.Group);
        w.WriteString("seed"u8); w.Write(e.Seed);
        w.WriteString("sampling_seed"u8); w.Write(e.SamplingSeed);
        w.WriteString("attempt"u8); w.Write(e.Attempt);
        w.WriteString("policy_version"u8); w.Write(e.PolicyVersion);
        w.WriteString("agent"u8); w.Write(e.Agent);
        w.WriteString("instruction"u8); w.Write(e.Instruction);
        w.WriteString("started_at"u8); w.Write(MessagePackTimestamp.FromDateTimeOffset(e.StartedAt));
        w.WriteString("duration_s"u8); w.Write(e.DurationSeconds);
        w.WriteString("outcome"u8); WriteOutcome(ref w, e.Outcome);
        w.WriteString("final_observation"u8);
        if (e.FinalObservation is null)
            w.WriteNil();
        else
            WriteObservation(ref w, e.FinalObservation);
        w.WriteString("steps"u8);
        w.WriteArrayHeader(e.Steps.Count);
        foreach (EpisodeStep step in e.Steps)
            WriteStep(ref w, step);
    }

    private static void WriteOutcome(ref MessagePackWriter w, Outcome o)
    {
        w.WriteMapHeader(4);
        w.WriteString("success"u8); w.Write(o.Success);
        w.WriteString("score"u8); w.Write(o.Score);
        w.WriteString("termination"u8); w.Write(TerminationName(o.Termination));
        w.WriteString("reason"u8); w.Write(o.Reason);
    }

    private static void WriteStep(ref MessagePackWriter w, EpisodeStep s)
    {
        // Optional fields are written only when present, so episodes without them keep their bytes.
        w.WriteMapHeader(s.Usage is null ? 10 : 11);
        w.WriteString("index"u8); w.Write(s.Index);
        w.WriteString("observation"u8); WriteObservation(ref w, s.Observation);
        w.WriteString("action"u8);
        w.WriteMapHeader(5);
        w.WriteString("text"u8); w.Write(s.Action.Text);
        w.WriteString("parsed"u8); w.Write(s.Info.ParsedAction);
        w.WriteString("valid"u8); w.Write(s.Info.ActionValid);
        w.WriteString("error"u8); w.Write(s.Info.Error);
        w.WriteString("tool_calls"u8);
        w.WriteArrayHeader(s.Action.ToolCalls.Count);
        foreach (ToolCall call in s.Action.ToolCalls)
        {
            w.WriteMapHeader(3);
            w.WriteString("id"u8); w.Write(call.Id);
            w.WriteString("name"u8); w.Write(call.Name);
            w.WriteString("arguments"u8); w.Write(call.ArgumentsJson);
        }
        w.WriteString("reward"u8); w.Write(s.Reward);
        w.WriteString("terminated"u8); w.Write(s.Terminated);
        w.WriteString("truncated"u8); w.Write(s.Truncated);
        w.WriteString("trace"u8); WriteTrace(ref w, s.Trace);
        w.WriteString("info"u8);
        w.WriteMapHeader(4);
        w.WriteString("success"u8); w.Write(s.Info.Success);
        w.WriteString("score"u8);
        if (s.Info.Score is { } score)
            w.Write(score);
        else
            w.WriteNil();
        w.WriteString("env_time_s"u8); w.Write(s.Info.EnvTime.TotalSeconds);
        w.WriteString("extras"u8); MessagePackObjects.Write(ref w, s.Info.Extras);
        w.WriteString("agent_s"u8); w.Write(s.AgentSeconds);
        w.WriteString("env_s"u8); w.Write(s.EnvSeconds);
        if (s.Usage is { } usage)
        {
            w.WriteString("usage"u8);
            w.WriteMapHeader(2);
            w.WriteString("prompt_tokens"u8); w.Write(usage.PromptTokens);
            w.WriteString("completion_tokens"u8); w.Write(usage.CompletionTokens);
        }
    }

    private static void WriteObservation(ref MessagePackWriter w, Observation o)
    {
        w.WriteMapHeader(o.ToolResults.Count == 0 ? 6 : 7);
        w.WriteString("text"u8); w.Write(o.Text);
        w.WriteString("state_key"u8); w.Write(o.StateKey);
        w.WriteString("feedback"u8); w.Write(o.Feedback);
        w.WriteString("admissible_actions"u8);
        w.WriteArrayHeader(o.AdmissibleActions.Count);
        foreach (string a in o.AdmissibleActions)
            w.Write(a);
        w.WriteString("images"u8);
        w.WriteArrayHeader(o.Images.Count);
        foreach (ObservationImage image in o.Images)
        {
            w.WriteMapHeader(3);
            w.WriteString("name"u8); w.Write(image.Name);
            w.WriteString("media_type"u8); w.Write(image.MediaType);
            w.WriteString("data"u8); w.Write(image.Data.Span);
        }
        w.WriteString("tools"u8);
        w.WriteArrayHeader(o.Tools.Count);
        foreach (ToolSpec tool in o.Tools)
        {
            w.WriteMapHeader(3);
            w.WriteString("name"u8); w.Write(tool.Name);
            w.WriteString("description"u8); w.Write(tool.Description);
            w.WriteString("parameters"u8); w.Write(tool.ParametersSchema);
        }
        if (o.ToolResults.Count == 0)
            return;
        w.WriteString("tool_results"u8);
        w.WriteArrayHeader(o.ToolResults.Count);
        foreach (ToolResult result in o.ToolResults)
        {
            w.WriteMapHeader(2);
            w.WriteString("call_id"u8); w.Write(result.CallId);
            w.WriteString("content"u8); w.Write(result.Content);
        }
    }

    private static void WriteTrace(ref MessagePackWriter w, TokenTrace? t)
    {
        if (t is null)
        {
            w.WriteNil();
            return;
        }
        w.WriteMapHeader(4);
        w.WriteString("prompt_ids"u8); WriteInts(ref w, t.PromptIds);
        w.WriteString("response_ids"u8); WriteInts(ref w, t.ResponseIds);
        w.WriteString("logprobs"u8);
        w.WriteArrayHeader(t.ResponseLogProbs.Length);
        foreach (float lp in t.ResponseLogProbs)
            w.Write(lp);
        w.WriteString("policy_version"u8); w.Write(t.PolicyVersion);
    }

    private static void WriteInts(ref MessagePackWriter w, int[] values)
    {
        w.WriteArrayHeader(values.Length);
        foreach (int v in values)
            w.Write(v);
    }

    private static string TerminationName(Termination t) => t switch
    {
        Termination.Terminated => "terminated",
        Termination.Truncated => "truncated",
        _ => "aborted",
    };

    /// <summary>Reads one episode.</summary>
    public static Episode Read(ref MessagePackReader r)
    {
        long start = r.Offset;
        int fields = r.ReadMapHeader();
        string? id = null, taskId = null, envId = null, group = null;
        Outcome? outcome = null;
        Episode e = new() { Id = "", TaskId = "", EnvId = "", Group = "", Outcome = new Outcome(false, 0, Termination.Aborted) };
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> key = ReadKey(ref r);
            if (key.SequenceEqual("schema_version"u8))
            {
                long offset = r.Offset;
                int version = r.ReadInt32();
                if (version > Episode.SchemaVersion)
                    throw new MessagePackFormatException($"Episode schema version {version} is newer than this reader's {Episode.SchemaVersion}", offset);
            }
            else if (key.SequenceEqual("id"u8)) id = r.ReadString();
            else if (key.SequenceEqual("suite"u8)) e = e with { Suite = r.ReadString() ?? "" };
            else if (key.SequenceEqual("task_id"u8)) taskId = r.ReadString();
            else if (key.SequenceEqual("env_id"u8)) envId = r.ReadString();
            else if (key.SequenceEqual("split"u8)) e = e with { Split = r.ReadString() ?? "" };
            else if (key.SequenceEqual("group"u8)) group = r.ReadString();
            else if (key.SequenceEqual("seed"u8)) e = e with { Seed = r.ReadInt64() };
            else if (key.SequenceEqual("sampling_seed"u8)) e = e with { SamplingSeed = r.ReadInt64() };
            else if (key.SequenceEqual("attempt"u8)) e = e with { Attempt = r.ReadInt32() };
            else if (key.SequenceEqual("policy_version"u8)) e = e with { PolicyVersion = r.ReadInt32() };
            else if (key.SequenceEqual("agent"u8)) e = e with { Agent = r.ReadString() ?? "" };
            else if (key.SequenceEqual("instruction"u8)) e = e with { Instruction = r.ReadString() ?? "" };
            else if (key.SequenceEqual("started_at"u8)) e = e with { StartedAt = r.ReadTimestamp().ToDateTimeOffset() };
            else if (key.SequenceEqual("duration_s"u8)) e = e with { DurationSeconds = r.ReadDouble() };
            else if (key.SequenceEqual("outcome"u8)) outcome = ReadOutcome(ref r);
            else if (key.SequenceEqual("final_observation"u8)) e = e with { FinalObservation = r.TryReadNil() ? null : ReadObservation(ref r) };
            else if (key.SequenceEqual("steps"u8))
            {
                int count = r.ReadArrayHeader();
                EpisodeStep[] steps = new EpisodeStep[count];
                for (int s = 0; s < count; s++)
                    steps[s] = ReadStep(ref r);
                e = e with { Steps = steps };
            }
            else r.Skip();
        }
        return e with
        {
            Id = id ?? throw Missing("id", start),
            TaskId = taskId ?? throw Missing("task_id", start),
            EnvId = envId ?? throw Missing("env_id", start),
            Group = group ?? throw Missing("group", start),
            Outcome = outcome ?? throw Missing("outcome", start),
        };
    }

    private static MessagePackFormatException Missing(string field, long offset) =>
        new($"The episode has no '{field}' field", offset);

    // Keys are compared as raw UTF-8, so reading an episode allocates no key strings.
    private static ReadOnlySpan<byte> ReadKey(ref MessagePackReader r)
    {
        ReadOnlySequence<byte> key = r.ReadStringBytes();
        return key.IsSingleSegment ? key.FirstSpan : key.ToArray();
    }

    private static Outcome ReadOutcome(ref MessagePackReader r)
    {
        int fields = r.ReadMapHeader();
        bool success = false;
        double score = 0;
        Termination termination = Termination.Aborted;
        string? reason = null;
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> key = ReadKey(ref r);
            if (key.SequenceEqual("success"u8)) success = r.ReadBoolean();
            else if (key.SequenceEqual("score"u8)) score = r.ReadDouble();
            else if (key.SequenceEqual("termination"u8))
            {
                long offset = r.Offset;
                termination = r.ReadString() switch
                {
                    "terminated" => Termination.Terminated,
                    "truncated" => Termination.Truncated,
                    "aborted" => Termination.Aborted,
                    var other => throw new MessagePackFormatException($"Unknown termination '{other}'", offset),
                };
            }
            else if (key.SequenceEqual("reason"u8)) reason = r.ReadString();
            else r.Skip();
        }
        return new Outcome(success, score, termination, reason);
    }

    private static EpisodeStep ReadStep(ref MessagePackReader r)
    {
        int fields = r.ReadMapHeader();
        int index = 0;
        Observation observation = EmptyObservation;
        string actionText = "";
        List<ToolCall>? toolCalls = null;
        StepInfo info = StepInfo.Valid;
        double reward = 0, agentSeconds = 0, envSeconds = 0;
        bool terminated = false, truncated = false;
        TokenTrace? trace = null;
        TokenUsage? usage = null;
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> key = ReadKey(ref r);
            if (key.SequenceEqual("index"u8)) index = r.ReadInt32();
            else if (key.SequenceEqual("observation"u8)) observation = ReadObservation(ref r);
            else if (key.SequenceEqual("action"u8))
            {
                int actionFields = r.ReadMapHeader();
                string? parsed = null, error = null;
                bool valid = true;
                for (int a = 0; a < actionFields; a++)
                {
                    ReadOnlySpan<byte> k = ReadKey(ref r);
                    if (k.SequenceEqual("text"u8)) actionText = r.ReadString() ?? "";
                    else if (k.SequenceEqual("parsed"u8)) parsed = r.ReadString();
                    else if (k.SequenceEqual("valid"u8)) valid = r.ReadBoolean();
                    else if (k.SequenceEqual("error"u8)) error = r.ReadString();
                    else if (k.SequenceEqual("tool_calls"u8)) toolCalls = ReadToolCalls(ref r);
                    else r.Skip();
                }
                info = info with { ParsedAction = parsed, ActionValid = valid, Error = error };
            }
            else if (key.SequenceEqual("reward"u8)) reward = r.ReadDouble();
            else if (key.SequenceEqual("terminated"u8)) terminated = r.ReadBoolean();
            else if (key.SequenceEqual("truncated"u8)) truncated = r.ReadBoolean();
            else if (key.SequenceEqual("trace"u8)) trace = r.TryReadNil() ? null : ReadTrace(ref r);
            else if (key.SequenceEqual("info"u8))
            {
                int infoFields = r.ReadMapHeader();
                for (int a = 0; a < infoFields; a++)
                {
                    ReadOnlySpan<byte> k = ReadKey(ref r);
                    if (k.SequenceEqual("success"u8)) info = info with { Success = r.ReadBoolean() };
                    else if (k.SequenceEqual("score"u8)) info = info with { Score = r.TryReadNil() ? null : r.ReadDouble() };
                    else if (k.SequenceEqual("env_time_s"u8)) info = info with { EnvTime = TimeSpan.FromSeconds(r.ReadDouble()) };
                    else if (k.SequenceEqual("extras"u8)) info = info with { Extras = ReadExtras(ref r) };
                    else r.Skip();
                }
            }
            else if (key.SequenceEqual("agent_s"u8)) agentSeconds = r.ReadDouble();
            else if (key.SequenceEqual("env_s"u8)) envSeconds = r.ReadDouble();
            else if (key.SequenceEqual("usage"u8)) usage = ReadUsage(ref r);
            else r.Skip();
        }
        AgentAction action = new() { Text = actionText, ToolCalls = toolCalls ?? (IReadOnlyList<ToolCall>)[] };
        return new EpisodeStep(index, observation, action, reward, terminated, truncated, info, trace, agentSeconds, envSeconds, usage);
    }

    private static readonly Observation EmptyObservation = new() { Text = "" };

    private static List<ToolCall> ReadToolCalls(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        List<ToolCall> calls = new(count);
        for (int i = 0; i < count; i++)
        {
            int fields = r.ReadMapHeader();
            string id = "", name = "", arguments = "{}";
            for (int f = 0; f < fields; f++)
            {
                ReadOnlySpan<byte> k = ReadKey(ref r);
                if (k.SequenceEqual("id"u8)) id = r.ReadString() ?? "";
                else if (k.SequenceEqual("name"u8)) name = r.ReadString() ?? "";
                else if (k.SequenceEqual("arguments"u8)) arguments = r.ReadString() ?? "{}";
                else r.Skip();
            }
            calls.Add(new ToolCall(id, name, arguments));
        }
        return calls;
    }

    private static Dictionary<string, object?> ReadExtras(ref MessagePackReader r)
    {
        long offset = r.Offset;
        if (MessagePackObjects.Read(ref r) is not MessagePackMap map)
            throw new MessagePackFormatException("Step extras must be a map", offset);
        Dictionary<string, object?> extras = new(map.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<object?, object?> pair in map)
        {
            if (pair.Key is not string key)
                throw new MessagePackFormatException("Step extras must have string keys", offset);
            extras[key] = pair.Value;
        }
        return extras;
    }

    private static Observation ReadObservation(ref MessagePackReader r)
    {
        int fields = r.ReadMapHeader();
        string text = "", stateKey = "";
        string? feedback = null;
        string[] admissible = [];
        List<ObservationImage>? images = null;
        List<ToolSpec>? tools = null;
        List<ToolResult>? results = null;
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> key = ReadKey(ref r);
            if (key.SequenceEqual("text"u8)) text = r.ReadString() ?? "";
            else if (key.SequenceEqual("state_key"u8)) stateKey = r.ReadString() ?? "";
            else if (key.SequenceEqual("feedback"u8)) feedback = r.ReadString();
            else if (key.SequenceEqual("admissible_actions"u8))
            {
                int count = r.ReadArrayHeader();
                admissible = new string[count];
                for (int a = 0; a < count; a++)
                    admissible[a] = r.ReadString() ?? "";
            }
            else if (key.SequenceEqual("images"u8))
            {
                int count = r.ReadArrayHeader();
                images = new List<ObservationImage>(count);
                for (int a = 0; a < count; a++)
                {
                    int imageFields = r.ReadMapHeader();
                    string name = "", mediaType = "image/png";
                    byte[] data = [];
                    for (int f = 0; f < imageFields; f++)
                    {
                        ReadOnlySpan<byte> k = ReadKey(ref r);
                        if (k.SequenceEqual("name"u8)) name = r.ReadString() ?? "";
                        else if (k.SequenceEqual("media_type"u8)) mediaType = r.ReadString() ?? mediaType;
                        else if (k.SequenceEqual("data"u8)) data = r.ReadBinary()?.ToArray() ?? [];
                        else r.Skip();
                    }
                    images.Add(new ObservationImage(name, mediaType, data));
                }
            }
            else if (key.SequenceEqual("tools"u8))
            {
                int count = r.ReadArrayHeader();
                tools = new List<ToolSpec>(count);
                for (int a = 0; a < count; a++)
                {
                    int toolFields = r.ReadMapHeader();
                    string name = "", description = "", parameters = "{}";
                    for (int f = 0; f < toolFields; f++)
                    {
                        ReadOnlySpan<byte> k = ReadKey(ref r);
                        if (k.SequenceEqual("name"u8)) name = r.ReadString() ?? "";
                        else if (k.SequenceEqual("description"u8)) description = r.ReadString() ?? "";
                        else if (k.SequenceEqual("parameters"u8)) parameters = r.ReadString() ?? "{}";
                        else r.Skip();
                    }
                    tools.Add(new ToolSpec(name, description, parameters));
                }
            }
            else if (key.SequenceEqual("tool_results"u8))
            {
                int count = r.ReadArrayHeader();
                results = new List<ToolResult>(count);
                for (int a = 0; a < count; a++)
                {
                    int resultFields = r.ReadMapHeader();
                    string callId = "", content = "";
                    for (int f = 0; f < resultFields; f++)
                    {
                        ReadOnlySpan<byte> k = ReadKey(ref r);
                        if (k.SequenceEqual("call_id"u8)) callId = r.ReadString() ?? "";
                        else if (k.SequenceEqual("content"u8)) content = r.ReadString() ?? "";
                        else r.Skip();
                    }
                    results.Add(new ToolResult(callId, content));
                }
            }
            else r.Skip();
        }
        return new Observation
        {
            Text = text,
            StateKey = stateKey,
            Feedback = feedback,
            AdmissibleActions = admissible,
            Images = images ?? (IReadOnlyList<ObservationImage>)[],
            Tools = tools ?? (IReadOnlyList<ToolSpec>)[],
            ToolResults = results ?? (IReadOnlyList<ToolResult>)[],
        };
    }

    private static TokenUsage ReadUsage(ref MessagePackReader r)
    {
        int fields = r.ReadMapHeader();
        int prompt = 0, completion = 0;
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> k = ReadKey(ref r);
            if (k.SequenceEqual("prompt_tokens"u8)) prompt = r.ReadInt32();
            else if (k.SequenceEqual("completion_tokens"u8)) completion = r.ReadInt32();
            else r.Skip();
        }
        return new TokenUsage(prompt, completion);
    }

    private static TokenTrace ReadTrace(ref MessagePackReader r)
    {
        int fields = r.ReadMapHeader();
        int[] prompt = [], response = [];
        float[] logprobs = [];
        int version = 0;
        for (int i = 0; i < fields; i++)
        {
            ReadOnlySpan<byte> key = ReadKey(ref r);
            if (key.SequenceEqual("prompt_ids"u8)) prompt = ReadInts(ref r);
            else if (key.SequenceEqual("response_ids"u8)) response = ReadInts(ref r);
            else if (key.SequenceEqual("logprobs"u8))
            {
                int count = r.ReadArrayHeader();
                logprobs = new float[count];
                for (int k = 0; k < count; k++)
                    logprobs[k] = r.ReadSingle();
            }
            else if (key.SequenceEqual("policy_version"u8)) version = r.ReadInt32();
            else r.Skip();
        }
        return new TokenTrace(prompt, response, logprobs, version);
    }

    private static int[] ReadInts(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
            values[i] = r.ReadInt32();
        return values;
    }
}
