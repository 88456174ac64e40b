"""Customer chatbot use cases: answering from the trained Q&A, handoff, leads, complaints."""
