namespace ProvenanceSet.Collection.Prompts;

/// <summary>One prompt of a prompts file: a line <c>{"prompt_id": ..., "prompt": ...}</c>.</summary>
/// <param name="Id">The prompt's id, written as <c>prompt_id</c> in the outputs of every model that answers it.</param>
/// <param name="Text">The prompt text sent to the models.</param>
public sealed record PromptRecord(string Id, string Text);
