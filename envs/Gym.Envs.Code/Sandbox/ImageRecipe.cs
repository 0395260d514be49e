using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gym.Envs.Code.Sandbox;

/// <summary>The sandbox user of an image.</summary>
/// <param name="Name">User name.</param>
/// <param name="Uid">User and group id.</param>
public sealed record SandboxUser(string Name, int Uid);

/// <summary>A sandbox image recipe (<c>sandbox/images/*.json</c>): a debootstrap root file system plus set-up.</summary>
public sealed record ImageRecipe
{
    /// <summary>Repository name of the image.</summary>
    public required string Name { get; init; }
    /// <summary>Recipe version (part of the tag).</summary>
    public required string Version { get; init; }
    /// <summary>What the image is for.</summary>
    public string Description { get; init; } = "";
    /// <summary>Debian suite (default bookworm).</summary>
    public string Suite { get; init; } = "bookworm";
    /// <summary>debootstrap variant (default minbase).</summary>
    public string Variant { get; init; } = "minbase";
    /// <summary>Extra packages.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
    /// <summary>The unprivileged user commands run as.</summary>
    public SandboxUser User { get; init; } = new("sandbox", 1000);
    /// <summary>Shell commands run in the root file system (chroot) after installation.</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];
    /// <summary>Environment of the image ("NAME=value").</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    /// <summary>Working directory (default /work).</summary>
    public string Workdir { get; init; } = "/work";

    /// <summary>The first 12 hex digits of the SHA-256 of the recipe file.</summary>
    public string Hash { get; init; } = "";

    /// <summary>The image's tag: name:version-hash.</summary>
    public string Tag => $"{Name}:{Version}-{Hash}";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a recipe; errors name the file.</summary>
    public static ImageRecipe Load(string path)
    {
        string text = File.ReadAllText(path);
        ImageRecipe recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<ImageRecipe>(text, Json) ?? throw new InvalidDataException($"{path}: empty recipe.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
        if (!System.Text.RegularExpressions.Regex.IsMatch(recipe.Name, "^[a-z0-9][a-z0-9_.-]*$"))
            throw new InvalidDataException($"{path}: $.name: '{recipe.Name}' is not a valid image name (lower case letters, digits, '.', '_', '-').");
        if (recipe.User.Uid < 1)
            throw new InvalidDataException($"{path}: $.user.uid: the sandbox user must not be root.");
        return recipe with { Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12] };
    }

    /// <summary>The recipe named <paramref name="name"/> in <paramref name="directory"/> (<c>NAME.json</c>).</summary>
    public static ImageRecipe Find(string directory, string name)
    {
        string path = Path.Combine(directory, name + ".json");
        if (!File.Exists(path))
        {
            string known = Directory.Exists(directory) ? string.Join(", ", Directory.GetFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension)) : "none";
            throw new FileNotFoundException($"No sandbox image recipe '{name}' in {directory} (known: {known}).", path);
        }
        return Load(path);
    }
}
