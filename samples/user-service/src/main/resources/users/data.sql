MERGE INTO users (id, name, email) KEY (id) VALUES
  (1, 'Ada Lovelace', 'ada@example.org'),
  (2, 'Grace Hopper', 'grace@example.org'),
  (3, 'Alan Turing', 'alan@example.org');
