namespace ProvenanceSet.Collection.Prompts;

/// <summary>
/// The word lists and templates of the built-in prompt generators, written for this project (no
/// third-party text). Changing any entry changes the prompts of every seed: the golden tests pin them.
/// </summary>
internal static class PromptWords
{
    // Sentence prefixes: {opening} {subject} {verb} {object} {setting}{connector}

    public static readonly string[] Openings =
    [
        "Late that evening,", "On the first morning of spring,", "Without telling anyone,", "Years later,", "Just before midnight,",
        "After a long silence,", "By the time the rain stopped,", "Every Tuesday,", "To everyone's surprise,", "In the middle of the meeting,",
        "Long before the town had a name,", "When the power went out,", "Halfway through the journey,", "For the third time that week,",
        "As the train pulled away,", "Early on a foggy Sunday,", "At the end of a very ordinary day,", "Once the guests had left,",
        "Somewhere near the border,", "While the kettle was boiling,",
    ];

    public static readonly string[] Subjects =
    [
        "the old lighthouse keeper", "a young botanist", "my neighbour", "the city council", "a retired pilot", "the small robot",
        "our history teacher", "a travelling musician", "the night-shift nurse", "two curious children", "the baker on the corner",
        "a tired detective", "the village librarian", "an apprentice carpenter", "the ship's cook", "a nervous student",
        "the museum guard", "my grandmother", "a stray cat", "the new manager", "an astronaut in training", "the mayor's assistant",
        "a quiet engineer", "the football coach", "a street painter", "the postman", "an elderly beekeeper", "the youngest sister",
        "a famous chef", "the software team", "a lost tourist", "the farmer next door", "a marine biologist", "the choir director",
        "an ambitious journalist", "the hotel receptionist", "a cautious investor", "the bus driver", "a mountain guide", "the twins",
    ];

    public static readonly string[] Verbs =
    [
        "discovered", "carried", "painted", "forgot", "repaired", "described", "opened", "followed", "hid", "sold", "found",
        "borrowed", "rebuilt", "photographed", "measured", "returned", "wrapped", "studied", "noticed", "cleaned", "delivered",
        "dropped", "traded", "tested", "wrote about", "argued about", "searched for", "planted", "counted", "unlocked",
        "dreamed about", "waited for", "listened to", "packed", "explained", "translated", "buried", "polished", "lost", "designed",
    ];

    public static readonly string[] Objects =
    [
        "a wooden box", "the broken clock", "an unfinished letter", "a map of the harbour", "the last train ticket", "a jar of honey",
        "the silver key", "an old violin", "a pile of newspapers", "the red umbrella", "a secret recipe", "the spare tyre",
        "a handful of seeds", "the village bell", "a stack of postcards", "a paper lantern", "the family photograph",
        "a dusty telescope", "the missing chess piece", "a basket of apples", "the blue notebook", "an envelope with no stamp",
        "a small green bottle", "the garden gate", "a forgotten password", "the school trophy", "a bicycle with one pedal",
        "a cracked mirror", "the captain's logbook", "a bag of marbles", "a strange painting", "the spare room", "a tin of buttons",
        "a recording of a song", "the weather vane", "an empty bird cage", "a list of names", "the kitchen radio", "a folded flag",
        "a pair of gloves",
    ];

    public static readonly string[] Settings =
    [
        " behind the station", " during the storm", " at the edge of the forest", " in the basement", " on the roof",
        " near the old bridge", " under the kitchen table", " at the back of the bus", " beside the river", " in a crowded market",
        " on the ferry", " inside the abandoned factory", " outside the bakery", " in the school library", " at the top of the hill",
        " in the hospital car park", " next to the fountain", " on a deserted beach", " in the attic", " behind the theatre",
        " at the airport", " in the greenhouse", " under the stairs", " on the mountain path", " in the town square", "", "", "", "", "",
    ];

    public static readonly string[] Connectors =
    [
        ", and then", ", because", ", but", " while", ", so", ". Nobody expected that", ". The reason was simple:", " and suddenly",
        ". From that moment on,", ", which meant that", ". At first", ", although", ". It turned out that", ", until",
        ". The next day,", ", and everyone",
    ];

    public static readonly string[] SentenceFrames =
    [
        "Continue this story: {0}", "Finish the sentence: {0}", "Complete the following text: {0}", "{0}",
        "Write the next few sentences of this story: {0}", "Carry on writing: {0}",
    ];

    // Instructions: templates with slots, then an optional constraint.

    public static readonly string[] Topics =
    [
        "photosynthesis", "the water cycle", "compound interest", "how vaccines work", "plate tectonics", "the printing press",
        "binary numbers", "supply and demand", "black holes", "the immune system", "climate and weather", "recycling",
        "the stock market", "how bridges stay up", "sleep", "the Roman Empire", "electric cars", "how the internet works",
        "volcanoes", "honeybees", "inflation", "the moon's phases", "public libraries", "renewable energy", "tides",
        "the human heart", "rainbows", "credit scores", "coral reefs", "machine translation", "earthquakes", "bread baking",
        "the Olympic Games", "magnets", "democracy", "password security", "migratory birds", "the seasons", "antibiotics",
        "musical scales",
    ];

    public static readonly string[] Audiences =
    [
        "a ten-year-old", "a new employee", "a retired engineer", "a first-year student", "my grandmother", "a busy parent",
        "someone who has never used a computer", "a visiting tourist", "a room full of teenagers", "a curious five-year-old",
        "a non-native English speaker", "a group of nurses",
    ];

    public static readonly string[] Forms =
    [
        "short poem", "limerick", "haiku", "product description", "news headline", "short story opening", "diary entry",
        "motivational speech", "song chorus", "riddle", "fable", "postcard message", "job advertisement", "restaurant review",
        "letter to the editor", "tweet",
    ];

    public static readonly string[] Activities =
    [
        "learning a new language", "running a first marathon", "keeping houseplants alive", "saving money on groceries",
        "preparing for a job interview", "studying for exams", "starting a vegetable garden", "cooking for a large family",
        "working from home", "travelling on a small budget", "learning to play the guitar", "sleeping better",
        "writing a first novel", "moving to a new city", "training a puppy", "staying focused at work", "organising a small wedding",
        "teaching children to swim", "reducing household waste", "making new friends as an adult",
    ];

    public static readonly string[] Places =
    [
        "a busy train station at rush hour", "a quiet mountain village", "an underwater city", "a night market",
        "a school on the first day of term", "a lighthouse in winter", "a space station", "a desert at sunrise",
        "a hospital waiting room", "a jazz club", "an abandoned amusement park", "a library after closing time",
        "a fishing harbour", "a rooftop garden", "a crowded football stadium", "a bakery at four in the morning",
    ];

    public static readonly string[] Recipients =
    [
        "a landlord", "a colleague", "a teacher", "a customer", "a neighbour", "the head of a company", "an old friend",
        "a hotel manager", "a local newspaper", "a sports club",
    ];

    public static readonly string[] Situations =
    [
        "a noisy party next door", "a delayed delivery", "a missed deadline", "a broken heating system", "a change of plans",
        "a surprise birthday", "a request for time off", "a billing mistake", "a lost package", "a new recycling scheme",
        "a leaking roof", "an upcoming team event",
    ];

    public static readonly string[] Dishes =
    [
        "a vegetable soup", "pancakes", "a lentil curry", "a lemon cake", "fried rice", "a tomato sauce", "a fruit salad",
        "a mushroom risotto", "banana bread", "a bean chilli", "roasted vegetables", "an omelette",
    ];

    public static readonly string[] Decisions =
    [
        "buying a used car", "adopting a dog", "changing careers", "renting an apartment", "going back to university",
        "starting a small business", "buying a laptop", "joining a gym", "moving abroad", "choosing a school for a child",
    ];

    public static readonly string[] Claims =
    [
        "homework should be banned", "cities should be car-free", "everyone should learn to code", "museums should be free",
        "the school day should start later", "working four days a week is better", "social media does more harm than good",
        "space exploration is worth the cost", "cash will disappear", "robots will replace most jobs", "zoos should close",
        "tipping should be abolished",
    ];

    public static readonly string[] Pairs =
    [
        "cats and dogs as pets", "trains and planes for travel", "paper books and e-readers", "tea and coffee",
        "renting and buying a home", "city life and country life", "summer and winter holidays", "cycling and walking to work",
        "email and phone calls", "learning alone and learning in a group", "solar and wind power", "fiction and non-fiction",
    ];

    public static readonly string[] Tasks =
    [
        "plan a week of healthy meals", "fix a slow computer", "prepare a five-minute presentation", "organise a messy garage",
        "teach someone to ride a bicycle", "write a good cover letter", "plan a road trip", "set up a family budget",
        "change a flat tyre", "make a small room look bigger", "choose a good password", "start a book club",
    ];

    public static readonly string[] Businesses =
    [
        "a bakery that only sells bread made with ancient grains", "a bicycle repair shop", "a dog-walking service",
        "a second-hand bookshop", "a vegetarian food truck", "a language school for adults", "a tiny hotel by the sea",
        "a repair café", "a plant nursery", "a board-game café",
    ];

    public static readonly string[] InstructionTemplates =
    [
        "Explain {topic} to {audience}.",
        "Write a {form} about {topic}.",
        "List {number} facts about {topic}.",
        "Give {number} tips for {activity}.",
        "Describe {place}.",
        "Summarise the history of {topic}.",
        "Write an email to {recipient} about {situation}.",
        "Compare {pair}.",
        "How would you {task}? Answer step by step.",
        "Suggest {number} names for {business}.",
        "Write a simple recipe for {dish}.",
        "What questions should I ask before {decision}?",
        "Give arguments for and against the claim that {claim}.",
        "Write a {form} set in {place}.",
        "What are the most common mistakes people make when {activity}?",
        "Write a short dialogue between {audience} and an expert on {topic}.",
        "Explain why {topic} matters in everyday life.",
        "Invent a story about {business}.",
        "Teach {audience} how to {task}.",
        "What would change if {claim}?",
    ];

    public static readonly string[] Constraints =
    [
        "", "", "", "", " Answer in one paragraph.", " Use simple words.", " Keep it under 100 words.", " Use a friendly tone.",
        " Answer in exactly three sentences.", " Use a bulleted list.", " Start with a question.", " Be concise.",
        " Include one example.", " Write it in the second person.", " Avoid technical terms.", " End with a short summary.",
    ];

    public static readonly string[] Requests =
    [
        "", "", "", "", "Please help me with this. ", "Quick question. ", "For a school project: ", "I need this for work. ",
        "My friend asked me this. ", "Here is a task for you. ", "Be honest. ", "I have five minutes. ",
    ];

    public static readonly string[] Styles =
    [
        "", "", "", " Write for a general audience.", " Be specific.", " Sound enthusiastic.", " Keep a neutral tone.",
        " Mention a common misconception.", " Add a practical example at the end.", " Do not use lists.",
    ];

    public static readonly string[] Numbers = ["two", "three", "four", "five", "six", "seven"];
}
