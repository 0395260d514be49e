using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gym.Trainer.Training;

/// <summary>
/// The names a config file uses for the members of a closed choice (<c>reinforce++</c>, <c>mean-std</c>...), taken
/// from each member's <see cref="JsonStringEnumMemberNameAttribute"/>; a member without one is not a config choice.
/// </summary>
public static class ConfigNames
{
    /// <summary>The config name of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Names<T>.ByValue[value];

    /// <summary>The accepted names, in declaration order, for error messages and docs.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.InOrder;

    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{typeof(T).Name}.{f.Name} has no config name."));
        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        public static readonly string[] InOrder = [.. ByValue.Values];
    }

    /// <summary>Reads and writes the choices of a config by their names; anything else is an error listing them.</summary>
    public sealed class Converter : JsonConverterFactory
    {
        /// <inheritdoc />
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        /// <inheritdoc />
        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Of<>).MakeGenericType(typeToConvert))!;

        private sealed class Of<T> : JsonConverter<T> where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (name is not null && Names<T>.ByName.TryGetValue(name, out T value))
                    return value;
                string got = name is null ? $"a {reader.TokenType.ToString().ToLowerInvariant()}" : $"'{name}'";
                throw new JsonException($"must be one of {string.Join(", ", Names<T>.InOrder)} (got {got})");
            }

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Names<T>.ByValue[value]);
        }
    }
}
