using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gym.Trainer.Training;

/// <summary>
/// Turns a YAML config into the JSON that <see cref="TrainConfig"/> reads, so both spellings of a config meet the
/// same checks and give the same field-named errors. Plain scalars are typed by YAML's core schema (null, booleans,
/// integers, floats); quoted scalars and scalars tagged <c>!!str</c> stay strings.
/// </summary>
public static partial class YamlConfig
{
    /// <summary>Whether <paramref name="path"/> names a YAML file (.yaml or .yml).</summary>
    public static bool IsYaml(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml";

    /// <summary>The JSON of a YAML document; a syntax error names the file, line and column.</summary>
    public static string ToJson(string yaml, string source)
    {
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }
        if (stream.Documents.Count != 1)
            throw new InvalidDataException($"{source}: a config is one YAML document (found {stream.Documents.Count}).");
        return Convert(stream.Documents[0].RootNode, source)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Convert(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => Mapping(map, source),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, source))]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"{source}:{node.Start.Line}:{node.Start.Column}: unsupported YAML node {node.NodeType}."),
    };

    private static JsonObject Mapping(YamlMappingNode map, string source)
    {
        JsonObject json = [];
        foreach ((YamlNode key, YamlNode value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                throw new InvalidDataException($"{source}:{key.Start.Line}:{key.Start.Column}: config keys are plain names.");
            json[name] = Convert(value, source);
        }
        return json;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false } tag && tag.Value == "tag:yaml.org,2002:str")
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            return JsonValue.Create(integer);
        if (Real().IsMatch(text))
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Real();
}
