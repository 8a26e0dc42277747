namespace ProvenanceSet.Collection.Prompts;

/// <summary>The built-in prompt generators (<c>mps prompts --generator</c>).</summary>
public enum PromptGeneratorKind
{
    /// <summary>Each prompt is a sentence prefix or an instruction, half and half at random (the default).</summary>
    Mixed = 0,

    /// <summary>Random sentence prefixes to continue ("Continue this story: Late that evening, the old lighthouse keeper ...").</summary>
    Sentences = 1,

    /// <summary>Instruction templates filled from the project's word lists ("Explain tides to a ten-year-old. Use simple words.").</summary>
    Instructions = 2,
}
