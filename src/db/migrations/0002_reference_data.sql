-- Pause reasons every contact center starts with (seed 1: banheiro, almoço, descanso…).
INSERT INTO pause_reasons (name, max_minutes, productive) VALUES
  ('Banheiro', 10, false),
  ('Almoço', 60, false),
  ('Descanso', 15, false),
  ('Treinamento', NULL, true),
  ('Feedback', NULL, true),
  ('Ginástica laboral', 15, false)
ON CONFLICT DO NOTHING;
