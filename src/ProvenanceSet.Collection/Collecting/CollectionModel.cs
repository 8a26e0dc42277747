using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// One model to query: the name written as <c>model</c> in the outputs, and the
/// Microsoft.Extensions.AI chat client that answers for it.
/// </summary>
/// <remarks>
/// Any <see cref="IChatClient"/> works (an OpenAI-compatible endpoint through
/// <see cref="OpenAICompatible"/>, an Ollama client, a local model). Models with the same
/// <see cref="Endpoint"/> share one concurrency limit. Dispose the model to release a client that
/// <see cref="OpenAICompatible"/> created; a client passed to the constructor stays the caller's.
/// </remarks>
public sealed class CollectionModel : IDisposable
{
    private readonly IDisposable? _owned;

    /// <summary>Wraps a chat client that the caller owns.</summary>
    /// <param name="name">The model's name in the outputs.</param>
    /// <param name="client">The chat client that answers for it.</param>
    /// <param name="endpoint">
    /// The server it runs on, for the per-endpoint concurrency limit and messages (default: the
    /// client's <see cref="ChatClientMetadata.ProviderUri"/>, else the model's own name, so that it
    /// gets its own limit).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    public CollectionModel(string name, IChatClient client, string? endpoint = null)
        : this(name, client, endpoint, owned: null, secret: null)
    {
    }

    private CollectionModel(string name, IChatClient client, string? endpoint, IDisposable? owned, string? secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        Client = client;
        Endpoint = endpoint
            ?? (client.GetService(typeof(ChatClientMetadata)) is ChatClientMetadata { ProviderUri: Uri uri } ? DisplayEndpoint(uri) : null)
            ?? $"model '{name}'";
        _owned = owned;
        Secret = string.IsNullOrEmpty(secret) ? null : secret;
    }

    /// <summary>The model's name, written as <c>model</c> in every record.</summary>
    public string Name { get; }

    /// <summary>The chat client that answers for the model.</summary>
    public IChatClient Client { get; }

    /// <summary>The server the model runs on (without credentials); models on one endpoint share its concurrency limit.</summary>
    public string Endpoint { get; }

    /// <summary>The API key, kept only to remove it from any message the server sends back.</summary>
    internal string? Secret { get; }

    /// <summary>
    /// A model served behind an OpenAI-compatible chat completions API (vLLM, llama.cpp server,
    /// Ollama's <c>/v1</c>, LM Studio, hosted APIs), through Microsoft.Extensions.AI.OpenAI.
    /// </summary>
    /// <param name="name">The model's name in the outputs.</param>
    /// <param name="endpoint">The API's base URL, the one that ends in <c>/v1</c> (requests go to <c>{endpoint}/chat/completions</c>).</param>
    /// <param name="apiKey">The API key (null for local servers that take none). It is never written anywhere.</param>
    /// <param name="modelId">The model id the server knows the model by (default: <paramref name="name"/>).</param>
    /// <param name="tokenLimitField">Which request field carries the output token limit (default both <c>max_tokens</c> and <c>max_completion_tokens</c>).</param>
    /// <returns>A model that owns its client: dispose it when done.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http or https URL.</exception>
    /// <remarks>
    /// The client makes one attempt per call and has no timeout of its own: the
    /// <see cref="OutputCollector"/> times out, retries and backs off.
    /// </remarks>
    public static CollectionModel OpenAICompatible(string name, Uri endpoint, string? apiKey = null, string? modelId = null,
        OpenAITokenLimitField tokenLimitField = OpenAITokenLimitField.Both)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The endpoint of model '{name}' must be an absolute http or https URL, got '{DisplayEndpoint(endpoint)}'.", nameof(endpoint));
        }

#pragma warning disable CA2000 // The handler and client are owned by the returned model and disposed with it.
        var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
#pragma warning restore CA2000
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromDays(1),
            Transport = new HttpClientPipelineTransport(http),
        };
        options.AddPolicy(new TokenLimitPolicy(tokenLimitField), PipelinePosition.PerCall);
        var chat = new ChatClient(string.IsNullOrWhiteSpace(modelId) ? name : modelId, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey), options);
        return new CollectionModel(name, chat.AsIChatClient(), DisplayEndpoint(endpoint), http, apiKey);
    }

    /// <summary>Releases the client when <see cref="OpenAICompatible"/> created it.</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>The URL without user information, query or fragment, for messages and grouping.</summary>
    internal static string DisplayEndpoint(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return uri.OriginalString;
        }

        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
    }
}
